import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../services/core/config.ts';
import { passageCounts } from '../services/core/db/chunk-index.ts';
import { compactText } from '../services/core/db/text-maintenance.ts';
import { planWords } from '../services/core/db/text-search.ts';
import { buildDeps, type Deps } from '../services/core/deps.ts';
import { hydrate } from '../services/core/search/hydrate.ts';
import { DEFAULT_POLICY } from '../services/core/search/policy.ts';
import { retrieveIds } from '../services/core/search/retrieve.ts';
import type { SearchMode } from '../services/core/search/types.ts';
import { queryTerms } from '../services/core/text/tokenize.ts';
import type { VectorStore } from '../services/core/vector-store/index.ts';
import { createSqliteVectorStore } from '../services/core/vector-store/sqlite.ts';
import { buildCorpus, type Corpus, rng } from './search-corpus.ts';
import { ENGINES } from './vectors.ts';

/**
 * `npm run bench:search`, in two parts.
 * 1. Retrieval modes: p50/p95 of the core retrieval call (query embedding excluded) per mode at
 *    10k and 100k child chunks of a generated text corpus with the built-in embedder, through
 *    the exact scan and through the HNSW index, and an in-process brute-force scan as the floor.
 * 2. Engines side by side: clustered vectors at 100k and 1M points, 256 and 1024 dimensions,
 *    top 10 of 200 queries, each engine in its own process (`search-engine.ts`): p50, p95,
 *    recall@10 against the exact answer, build time, RSS, disk and the load average.
 *    `BENCH_BIT_OVERSAMPLE` sets how many bit-code candidates `sqlite-vec-bit` rescores (100).
 * `BENCH_SIZES`, `BENCH_ENGINE_SIZES` (e.g. `100000x256,1000000x1024`) and `BENCH_ENGINES` narrow it.
 */
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').filter(Boolean).map(Number);
const ENGINE_SIZES = (process.env.BENCH_ENGINE_SIZES ?? '100000x256,100000x1024,1000000x256')
  .split(',')
  .filter(Boolean)
  .map((s) => s.split('x').map(Number) as [number, number]);
const ENGINE_LIST = (process.env.BENCH_ENGINES ?? ENGINES.join(',')).split(',').filter(Boolean);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 100);
const TOP_K = 5;

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: at(0.5).toFixed(2), p95: at(0.95).toFixed(2) };
}

async function queryVectors(deps: Deps, corpus: Corpus) {
  const random = rng(7);
  const texts = Array.from({ length: QUERIES }, () => {
    const topic = corpus.topics[Math.floor(random() * corpus.topics.length)];
    return Array.from({ length: 4 }, () => topic[Math.floor(random() * topic.length)]).join(' ');
  });
  const { embedder } = deps;
  const vectors = embedder.embedQuery
    ? await Promise.all(texts.map((t) => embedder.embedQuery?.(t) ?? embedder.embed([t]).then(([v]) => v)))
    : await embedder.embed(texts);
  return texts.map((text, i) => ({ text, vector: vectors[i], terms: queryTerms(text) }));
}

/** Every child vector of the KB in one Float32Array: what a brute-force scan would hold. */
async function loadChildVectors(deps: Deps, corpus: Corpus): Promise<Float32Array> {
  const rows = deps.db.sqlite
    .prepare("SELECT content FROM chunks WHERE kb_id = ? AND layer = 'child'")
    .all(corpus.kbId) as Array<{ content: string }>;
  const dim = deps.embedder.dimension;
  const all = new Float32Array(rows.length * dim);
  const vectors = await deps.embedder.embed(rows.map((r) => r.content));
  vectors.forEach((v, i) => {
    all.set(v, i * dim);
  });
  return all;
}

function bruteForce(all: Float32Array, q: Float32Array, k: number): number[] {
  const dim = q.length;
  const n = all.length / dim;
  const best: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    let dot = 0;
    const o = i * dim;
    for (let j = 0; j < dim; j++) dot += all[o + j] * q[j];
    if (best.length < k || dot > best[best.length - 1][0]) {
      best.push([dot, i]);
      best.sort((a, b) => b[0] - a[0]);
      if (best.length > k) best.pop();
    }
  }
  return best.map((b) => b[1]);
}

async function benchSize(children: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cos-bench-search-'));
  const deps = await buildDeps(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' }), {
    service: 'bench',
  });
  try {
    const started = performance.now();
    const corpus = await buildCorpus(deps, children);
    const buildSeconds = ((performance.now() - started) / 1000).toFixed(1);
    // Each document is written in its own transaction, as uploads are; the ingest worker merges
    // the full-text index once the queue is quiet, which is what searches meet afterwards.
    const m0 = performance.now();
    await compactText(deps);
    const mergeSeconds = ((performance.now() - m0) / 1000).toFixed(1);
    const queries = await queryVectors(deps, corpus);
    const rows: Array<Record<string, string>> = [];
    const modes: SearchMode[] = ['drill-down', 'drill-down-relaxed', 'flat'];
    const dimension = deps.embedder.dimension;
    const stores: Array<[string, VectorStore]> = [
      ['exact', createSqliteVectorStore(deps.db.sqlite, { model: deps.embedder.model, dimension })],
      ['hnsw', deps.vectors],
    ];
    const t0 = performance.now();
    await deps.vectors.prepare();
    const indexSeconds = ((performance.now() - t0) / 1000).toFixed(1);
    // Vectors alone; hybrid with both rankings, as with a model's embeddings; hybrid with the
    // built-in embedder's weights, which rank by full text alone (no store is searched).
    const variants = [
      { label: '', hybrid: false, fusion: DEFAULT_POLICY.fusion.semantic },
      { label: ' +hybrid', hybrid: true, fusion: DEFAULT_POLICY.fusion.semantic },
      { label: ' +hybrid (built-in weights: full text alone)', hybrid: true, fusion: DEFAULT_POLICY.fusion.lexical },
    ];
    for (const [storeName, store] of stores)
      for (const { label, hybrid, fusion } of variants) {
        if (fusion.vector === 0 && storeName !== 'hnsw') continue;
        for (const mode of modes) {
          const times: number[] = [];
          for (const [i, q] of queries.entries()) {
            const t0 = performance.now();
            const passages = passageCounts(deps.db, corpus.kbId);
            const ctx = {
              db: deps.db,
              store,
              userId: corpus.userId,
              kbId: corpus.kbId,
              hybrid,
              headingWeight: DEFAULT_POLICY.headingWeight,
              proximity: DEFAULT_POLICY.proximity,
              fusion,
              passages,
              vector: async () => q.vector,
              words: planWords(deps.db, hybrid ? q.terms : [], DEFAULT_POLICY.commonWords, passages),
            };
            const hits = hydrate(deps.db, corpus.userId, corpus.kbId, await retrieveIds(ctx, mode, TOP_K));
            if (i >= 5) times.push(performance.now() - t0);
            if (hits.length === 0) throw new Error(`${mode} found nothing for "${q.text}"`);
          }
          rows.push({
            mode: `${mode}${label}, ${fusion.vector === 0 ? 'no store' : storeName}`,
            ...percentiles(times),
          });
        }
      }
    const { rss: rssRetrieval, heapUsed } = process.memoryUsage();
    const all = await loadChildVectors(deps, corpus);
    const floor: number[] = [];
    for (const [i, q] of queries.entries()) {
      const t0 = performance.now();
      bruteForce(all, q.vector, TOP_K);
      if (i >= 5) floor.push(performance.now() - t0);
    }
    rows.push({ mode: 'brute-force Float32Array (floor)', ...percentiles(floor) });
    console.log(
      `\n${corpus.childCount} child chunks, ${deps.embedder.model} ${deps.embedder.dimension} dims, built in ${buildSeconds} s ` +
        `(full-text merge ${mergeSeconds} s), ` +
        `(HNSW indexes ${indexSeconds} s more), ` +
        `RSS ${mb(rssRetrieval)} (JS heap ${mb(heapUsed)}) after the retrieval runs, ` +
        `${mb(process.memoryUsage().rss)} with the brute-force array loaded; load average ${loadavg()[0].toFixed(1)}`,
    );
    console.table(rows.map((r) => ({ mode: r.mode, 'p50 ms': r.p50, 'p95 ms': r.p95 })));
  } finally {
    await deps.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Each engine of one size in its own process, after the exact answers are known. */
function benchEngines(n: number, dim: number): Array<Record<string, number | string>> {
  const root = mkdtempSync(join(tmpdir(), 'cos-bench-engines-'));
  const run = (engine: string, dir: string) => {
    mkdirSync(dir, { recursive: true });
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./search-engine.ts', import.meta.url)),
        engine,
        String(n),
        String(dim),
        dir,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 20 },
    );
    return out.trim().split('\n').pop() ?? '{}';
  };
  try {
    run('truth', root);
    const results: Array<Record<string, number | string>> = [];
    for (const engine of ENGINE_LIST) {
      try {
        results.push(JSON.parse(run(engine, join(root, engine))));
      } catch (err) {
        results.push({ engine, n, dim, error: err instanceof Error ? err.message.split('\n')[0] : String(err) });
      }
      console.log(JSON.stringify(results[results.length - 1]));
    }
    return results;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const fixed = (v: unknown, digits: number) => (typeof v === 'number' ? v.toFixed(digits) : '');

for (const size of SIZES) await benchSize(size);
const engineRows = ENGINE_SIZES.flatMap(([n, dim]) => benchEngines(n, dim));
if (engineRows.length > 0) {
  console.log(
    '\n| engine | points x dims | p50 ms | p95 ms | recall@10 | build s | RSS MiB (anonymous) | disk MiB | load |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of engineRows) {
    const cells = r.error
      ? [`failed: ${r.error}`, '', '', '', '', '', '']
      : [
          fixed(r.p50, 2),
          fixed(r.p95, 2),
          fixed(r.recall, 3),
          fixed(r.buildSeconds, 1),
          `${fixed(r.rssMiB, 0)}${Number.isFinite(r.anonMiB) ? ` (${fixed(r.anonMiB, 0)})` : ''}`,
          fixed(r.diskMiB, 0),
          fixed(r.load, 1),
        ];
    console.log(`| ${r.engine} | ${r.n} x ${r.dim} | ${cells.join(' | ')} |`);
  }
}
