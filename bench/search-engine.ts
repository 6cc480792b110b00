import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import usearch, { type BatchMatches } from 'usearch';
import { openDatabase } from '../services/core/db/index.ts';
import { createHnswVectorStore } from '../services/core/vector-store/hnsw.ts';
import type { VectorStore } from '../services/core/vector-store/index.ts';
import { createSqliteVectorStore, topHits } from '../services/core/vector-store/sqlite.ts';
import { normalize } from '../services/core/vector-store/sqlite-sql.ts';
import { createSqliteVectorTable } from '../services/core/vector-store/sqlite-table.ts';
import { processMemory } from '../tests/containers/helpers/memory-breakdown.ts';
import { batch, type ENGINES, queryVector } from './vectors.ts';

/**
 * One engine of `npm run bench:search` in a process of its own (so its RSS is its own):
 * `tsx bench/search-engine.ts <engine> <points> <dimension> <dir>` builds the engine over the
 * clustered vectors of `vectors.ts`, runs the queries and prints one JSON line. The engine
 * `truth` writes the exact top 10 of every query to `<dir>/truth.json` for the others' recall.
 */
type Engine = (typeof ENGINES)[number] | 'truth';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const K = 10;
/** Candidates the bit-code scan of `sqlite-vec-bit` hands to exact rescoring. */
const OVERSAMPLE = Number(process.env.BENCH_BIT_OVERSAMPLE ?? 100);
const BATCH = 5000;
const scope = { userId: 'bench-user', kbId: 'bench-kb', layer: 'child' as const };

interface Runner {
  add(from: number, vectors: Float32Array): Promise<void>;
  /** After the last add: whatever index the engine builds. */
  finish(): Promise<void>;
  search(q: Float32Array): Promise<number[]>;
}

const [engine, pointsArg, dimArg, dir] = process.argv.slice(2) as [Engine, string, string, string];
const n = Number(pointsArg);
const dim = Number(dimArg);

/** Points `from` on as our stores take them: one KB partition, 10 passages a parent, 100 a document. */
function points(from: number, vectors: Float32Array) {
  return Array.from({ length: vectors.length / dim }, (_, i) => ({
    ...scope,
    id: `c${from + i}`,
    documentId: `d${Math.floor((from + i) / 100)}`,
    parentId: `p${Math.floor((from + i) / 10)}`,
    vector: vectors.subarray(i * dim, (i + 1) * dim),
  }));
}

async function embedded(kind: 'exact' | 'hnsw'): Promise<Runner> {
  const db = openDatabase(join(dir, 'bench.db'));
  const opts = { model: 'bench', dimension: dim };
  const store: VectorStore =
    kind === 'exact'
      ? createSqliteVectorStore(db.sqlite, opts)
      : createHnswVectorStore(db.sqlite, { ...opts, dir: join(dir, 'vector-index') });
  await store.init();
  return {
    async add(from, vectors) {
      await store.upsert(points(from, vectors));
    },
    finish: () => store.prepare(),
    async search(q) {
      return (await store.search(q, scope, K)).map((h) => Number(h.id.slice(1)));
    },
  };
}

/**
 * sqlite-vec's binary quantization: the float vectors in our exact store's table, written
 * through its own upsert, and beside it a vec0 table of their sign bits (`vec_quantize_binary`)
 * with the same user/KB/layer partition keys and rowids. A search takes the `OVERSAMPLE`
 * nearest codes by Hamming distance within the partition, then rescores them from the float
 * vectors as our HNSW store rescores its candidates.
 */
function bitQuantized(): Runner {
  const db = openDatabase(join(dir, 'bench.db'));
  const t = createSqliteVectorTable(db.sqlite, { model: 'bench', dimension: dim });
  const bits = `${t.table}_bit`;
  t.ensure();
  db.sqlite.exec(`CREATE VIRTUAL TABLE "${bits}" USING vec0(
    user_id text partition key, kb_id text partition key, layer text partition key, code bit[${dim}]
  )`);
  const encode = db.sqlite.prepare(
    `INSERT INTO "${bits}" (rowid, user_id, kb_id, layer, code)
     SELECT i.rowid, i.user_id, i.kb_id, i.layer, vec_quantize_binary(v.embedding)
     FROM "${t.ids}" i JOIN "${t.table}" v ON v.rowid = i.rowid WHERE i.rowid > ? ORDER BY i.rowid`,
  );
  const knn = db.sqlite.prepare(
    `SELECT rowid FROM "${bits}" WHERE code MATCH vec_quantize_binary(?) AND k = ?
     AND user_id = ? AND kb_id = ? AND layer = ?`,
  );
  let encoded = 0;
  return {
    async add(from, vectors) {
      t.upsert(points(from, vectors));
      db.sqlite.transaction(() => encode.run(encoded))();
      encoded = t.stamp().maxRowid;
    },
    async finish() {},
    async search(q) {
      const query = normalize(q);
      const rows = knn.all(query, OVERSAMPLE, scope.userId, scope.kbId, scope.layer) as Array<{ rowid: number }>;
      const candidates = rows.map((r) => r.rowid);
      return topHits(t.score(query, candidates), K).map((h) => Number(h.id.slice(1)));
    },
  };
}

function plainHnsw(): Runner {
  const index = new usearch.Index({
    dimensions: dim,
    metric: usearch.MetricKind.IP,
    quantization: usearch.ScalarKind.F32,
    connectivity: 16,
    expansion_add: 128,
    expansion_search: 64,
    multi: false,
  });
  return {
    async add(from, vectors) {
      const keys = BigUint64Array.from({ length: vectors.length / dim }, (_, i) => BigInt(from + i));
      index.add(keys, vectors, 2);
    },
    async finish() {
      index.save(join(dir, 'plain.usearch'));
    },
    async search(q) {
      return Array.from(index.search(q, K, 1).keys, Number);
    },
  };
}

async function lance(kind: 'flat' | 'ivf-pq' | 'ivf-hnsw-sq'): Promise<Runner> {
  const lancedb = await import('@lancedb/lancedb');
  const db = await lancedb.connect(join(dir, 'lance'));
  let table: Awaited<ReturnType<typeof db.createTable>> | undefined;
  return {
    async add(from, vectors) {
      const rows = Array.from({ length: vectors.length / dim }, (_, i) => ({
        id: from + i,
        vector: Array.from(vectors.subarray(i * dim, (i + 1) * dim)),
      }));
      if (table) await table.add(rows);
      else table = await db.createTable('vectors', rows);
    },
    async finish() {
      if (!table || kind === 'flat') return;
      const partitions = Math.max(1, Math.round(Math.sqrt(n)));
      const config =
        kind === 'ivf-pq'
          ? lancedb.Index.ivfPq({ distanceType: 'cosine', numPartitions: partitions, numSubVectors: dim / 8 })
          : lancedb.Index.hnswSq({ distanceType: 'cosine', numPartitions: Math.max(1, Math.round(n / 100_000)) });
      await table.createIndex('vector', { config });
    },
    async search(q) {
      if (!table) return [];
      let query = table.vectorSearch(Array.from(q)).distanceType('cosine').limit(K).select(['id']);
      if (kind === 'ivf-pq') query = query.nprobes(20).refineFactor(10);
      if (kind === 'ivf-hnsw-sq') query = query.ef(64);
      const rows = await query.toArray();
      return rows.map((r: { id: number }) => Number(r.id));
    },
  };
}

function truth(): void {
  const data = batch(0, n, dim, n);
  const queries = Array.from({ length: QUERIES }, (_, q) => queryVector(q, dim, n));
  const found = usearch.exactSearch(data, queries, dim, K, usearch.MetricKind.IP, 2) as BatchMatches;
  const lists = queries.map((_, q) => Array.from(found.get(q).keys, Number));
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(lists));
}

const du = (path: string): number => {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, f) => sum + du(join(path, f)), 0);
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function run(): Promise<void> {
  if (engine === 'truth') return truth();
  const runner =
    engine === 'exact' || engine === 'hnsw'
      ? await embedded(engine)
      : engine === 'usearch'
        ? plainHnsw()
        : engine === 'sqlite-vec-bit'
          ? bitQuantized()
          : await lance(engine.slice('lancedb-'.length) as 'flat' | 'ivf-pq' | 'ivf-hnsw-sq');
  let buildMs = 0;
  for (let from = 0; from < n; from += BATCH) {
    const vectors = batch(from, Math.min(n, from + BATCH), dim, n);
    const t0 = performance.now();
    await runner.add(from, vectors);
    buildMs += performance.now() - t0;
  }
  const t0 = performance.now();
  await runner.finish();
  buildMs += performance.now() - t0;
  const expected = JSON.parse(readFileSync(join(dir, '..', 'truth.json'), 'utf8')) as number[][];
  const times: number[] = [];
  let hits = 0;
  for (let q = 0; q < QUERIES; q++) {
    const vector = queryVector(q, dim, n);
    const t = performance.now();
    const got = await runner.search(vector);
    times.push(performance.now() - t);
    const want = new Set(expected[q]);
    hits += got.filter((id) => want.has(id)).length;
  }
  const sorted = times.slice(5).sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      engine,
      n,
      dim,
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      recall: hits / (QUERIES * K),
      buildSeconds: buildMs / 1000,
      rssMiB: process.memoryUsage().rss / 2 ** 20,
      // Without the pages of its files, which the kernel reclaims under a memory limit.
      anonMiB: ((await processMemory(process.pid))?.anonBytes ?? Number.NaN) / 2 ** 20,
      diskMiB: du(dir) / 2 ** 20,
      load: loadavg()[0],
    }),
  );
}

await run();
process.exit(0);
