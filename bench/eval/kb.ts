import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerUser } from '../../services/core/auth/users.ts';
import { loadConfig } from '../../services/core/config.ts';
import { buildDeps, type Deps } from '../../services/core/deps.ts';
import { createDocument } from '../../services/core/documents/create.ts';
import { getDocument } from '../../services/core/documents/index.ts';
import { processDocument } from '../../services/core/ingest/pipeline.ts';
import { createKb } from '../../services/core/kbs/index.ts';
import { createLogger } from '../../services/core/logger.ts';
import { segment } from '../../services/core/text/tokenize.ts';

export type Language = 'zh' | 'en';

/** The evaluation corpus: real Debian documentation as shipped, one folder per package. */
export const CORPUS_DIR = new URL('./corpus/', import.meta.url);

/** Which package folders make up each language's knowledge base. */
const PACKAGES: Record<Language, string[]> = {
  zh: ['debian-edu-doc-zh-cn', 'debian-reference-zh-cn', 'maint-guide-zh-cn'],
  en: ['debian-reference-en'],
};

export interface CorpusFile {
  fileName: string;
  path: string;
}

/** Every HTML file of a language's corpus, sorted by package then name. */
export function corpusFiles(lang: Language): CorpusFile[] {
  return PACKAGES[lang].flatMap((pkg) => {
    const dir = new URL(`${pkg}/`, CORPUS_DIR);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.html'))
      .sort()
      .map((fileName) => ({ fileName, path: fileURLToPath(new URL(fileName, dir)) }));
  });
}

/** The formats an upload accepts that a haystack folder may hold. */
const HAYSTACK_FORMATS = ['.txt', '.md', '.html'];

/**
 * Every text, Markdown or HTML file under `dir` (folders included), sorted by path: real
 * documents added to each knowledge base beside the corpus, so that the questions are asked of
 * a KB of the size a team reaches. Files under 200 bytes (stubs, links) are left out.
 */
export function haystackFiles(dir: string): CorpusFile[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && HAYSTACK_FORMATS.some((x) => e.name.endsWith(x)))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => statSync(path).size >= 200)
    .sort()
    .map((path) => ({ fileName: basename(path), path }));
}

/** A passage as a system returns it: the child chunk and the file it comes from. */
export interface Passage {
  id: string;
  content: string;
  fileName: string;
}

export interface CorpusStats {
  documents: number;
  parents: number;
  children: number;
  ingestSeconds: number;
}

/** A knowledge base built from corpus files in a temporary DATA_DIR with the embedded defaults. */
export interface EvalKb {
  deps: Deps;
  userId: string;
  kbId: string;
  stats: CorpusStats;
  /** The baseline's own index, built on first use. */
  bm25?: Bm25Index;
  close(): Promise<void>;
}

/**
 * What `npm run eval` takes from the environment: the vector index, and an ONEAPI gateway
 * with its models, to measure a model's embeddings (`EMBEDDING_MODEL`), summaries or reranker
 * (`RERANK_MODEL`) on the same questions. Nothing else of the environment reaches the run.
 */
const EVAL_SETTINGS = [
  'VECTOR_INDEX',
  'VECTOR_INDEX_MIN_POINTS',
  'ONEAPI_BASE_URL',
  'ONEAPI_KEY',
  'ONEAPI_TIMEOUT_MS',
  'ONEAPI_MAX_RETRIES',
  'ONEAPI_CONCURRENCY',
  'EMBEDDING_MODEL',
  'EMBEDDING_DIMENSION',
  'SUMMARY_MODEL',
  'CHAT_MODEL',
  'RERANK_MODEL',
] as const;

/** The `EVAL_SETTINGS` an environment holds. */
const evalSettings = (env: Record<string, string | undefined>): Record<string, string | undefined> =>
  Object.fromEntries(EVAL_SETTINGS.map((name) => [name, env[name]]));

/**
 * Builds deps the way `npm start` does over a fresh DATA_DIR, then ingests every file through
 * the real upload and ingest path. A file that does not end `completed` stops the run. Without
 * `settings` (`evalSettings()`: a test's run, whatever its shell holds) these are the embedded
 * defaults: built-in embedder, sqlite-vec, in-process queue, no ONEAPI. VECTOR_INDEX=exact, or
 * VECTOR_INDEX_MIN_POINTS=0 (an HNSW index on every partition), compares the approximate index
 * with the exact scan it replaces.
 */
export async function buildEvalKb(
  files: CorpusFile[],
  settings: Record<string, string | undefined> = {},
): Promise<EvalKb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cos-eval-'));
  const config = loadConfig({ ...evalSettings(settings), NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const deps = await buildDeps(config, { logger: createLogger({ level: 'silent' }) });
  const close = async () => {
    await deps.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const user = await registerUser(deps.db, { email: 'eval@example.com', password: 'evaluation password' }, 'open');
    const who = { userId: user.id };
    const kb = createKb(deps.db, who, { title: 'Evaluation corpus' });
    const stats: CorpusStats = { documents: 0, parents: 0, children: 0, ingestSeconds: 0 };
    const started = performance.now();
    for (const file of files) {
      const created = await createDocument(deps, who, kb.id, {
        fileName: file.fileName,
        bytes: readFileSync(file.path),
      });
      await processDocument(deps, created.id);
      const done = getDocument(deps.db, who, created.id);
      if (done.status !== 'completed') throw new Error(`${file.fileName} ended ${done.status}: ${done.error}`);
      stats.documents++;
      stats.parents += done.parentCount;
      stats.children += done.childCount;
    }
    stats.ingestSeconds = (performance.now() - started) / 1000;
    await deps.vectors.prepare();
    return { deps, userId: user.id, kbId: kb.id, stats, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Plain BM25 over the KB's child chunks, independent of the product's own full-text index:
 * each passage's words by jieba (as `segment` cuts them, nothing else: no stemming, no
 * headings, no layers above), Okapi BM25 with k1 1.2 and b 0.75, the query's words as
 * `segment` cuts them with stopwords dropped. Built once per KB.
 */
export function bm25Passages(kb: EvalKb, query: string, topK: number): Passage[] {
  kb.bm25 ??= buildBm25(childChunks(kb));
  const index = kb.bm25;
  const words = [...new Set(segment(query, { dropStopwords: true }))];
  const scores = new Map<number, number>();
  for (const w of words) {
    const postings = index.postings.get(w);
    if (!postings) continue;
    const idf = Math.log(1 + (index.docs.length - postings.length + 0.5) / (postings.length + 0.5));
    for (const [doc, tf] of postings) {
      const norm = tf + K1 * (1 - B + (B * (index.lengths[doc] ?? 0)) / index.avgLength);
      scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (K1 + 1)) / norm);
    }
  }
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topK)
    .flatMap(([doc]) => index.docs[doc] ?? []);
}

const K1 = 1.2;
const B = 0.75;

export interface Bm25Index {
  docs: Passage[];
  lengths: number[];
  avgLength: number;
  postings: Map<string, Array<[number, number]>>;
}

function buildBm25(docs: Passage[]): Bm25Index {
  const postings = new Map<string, Array<[number, number]>>();
  const lengths = docs.map((d, i) => {
    const words = segment(d.content);
    const tf = new Map<string, number>();
    for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
    for (const [w, n] of tf) {
      const list = postings.get(w) ?? [];
      list.push([i, n]);
      postings.set(w, list);
    }
    return words.length;
  });
  const avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
  return { docs, lengths, avgLength, postings };
}

/** The child chunks of the KB with their files, for checking answer phrases against the index. */
export function childChunks(kb: EvalKb): Passage[] {
  return kb.deps.db.sqlite
    .prepare(
      `SELECT c.id, c.content, d.file_name AS fileName FROM chunks c JOIN documents d ON d.id = c.document_id
       WHERE c.kb_id = ? AND c.layer = 'child' ORDER BY d.file_name, c.position`,
    )
    .all(kb.kbId) as Passage[];
}
