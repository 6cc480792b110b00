import { join } from 'node:path';
import { resolveJwtSecret } from './auth/secret.ts';
import { type Cache, createCache } from './cache/index.ts';
import type { Config } from './config.ts';
import { termStatistics } from './db/chunk-index.ts';
import { type Db, openDatabase } from './db/index.ts';
import type { Embedder } from './embedder/index.ts';
import { createLocalEmbedder } from './embedder/local.ts';
import { createEventSink } from './events.ts';
import { DEFAULT_PARSE_LIMITS, IsolatedParser } from './ingest/parsers/isolated.ts';
import { buildLlm, resolveEmbeddingDimension } from './llm/build.ts';
import type { ChatClient } from './llm/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { createIngestQueue } from './queue/create.ts';
import type { IngestQueue } from './queue/index.ts';
import type { Reranker } from './reranker/index.ts';
import { createEmbeddingIndex, type EmbeddingIndex } from './search/embedding-index.ts';
import type { FileStorage } from './storage/index.ts';
import { createLocalStorage } from './storage/local.ts';
import { buildVectorStore } from './vector-store/build.ts';
import type { VectorStore } from './vector-store/index.ts';

/** One dependency as /readyz reports it. */
export interface ReadinessCheck {
  name: string;
  /** A required dependency that is down makes /readyz answer 503. */
  required: boolean;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

/** Everything a service needs, built once at start and handed to `createApp`. */
export interface Deps {
  config: Config;
  logger: Logger;
  db: Db;
  jwtSecret: string;
  readiness: ReadinessCheck[];
  /** Chat models through ONEAPI; undefined when ONEAPI_BASE_URL is unset (answers are then extractive). */
  chat?: ChatClient;
  /** Turns text into vectors: ONEAPI when configured, else the built-in local embedder. */
  embedder: Embedder;
  /** Reorders the top passages of a search; undefined unless RERANK_MODEL is set. */
  reranker?: Reranker;
  /** Vectors of `embedder`'s model: Qdrant when QDRANT_URL is set, else sqlite-vec in the SQLite file. */
  vectors: VectorStore;
  /**
   * Every embedding index (the one searches read, one being built, retired ones): vectors are
   * written and deleted through it, and it re-embeds after a change of model.
   */
  embeddingIndex: EmbeddingIndex;
  /** Query embeddings and search results: in-process LRU, plus Redis when REDIS_URL is set. */
  cache: Cache;
  /** Ingest jobs: BullMQ when REDIS_URL is set, else in-process. */
  queue: IngestQueue;
  /** Uploaded files under FILES_DIR. */
  storage: FileStorage;
  /** Parses uploads in a separate process with its own memory limit and deadline. */
  parser: IsolatedParser;
  /** Closes what was opened, in reverse order. */
  close(): Promise<void>;
}

export interface BuildOptions {
  service?: string;
  logger?: Logger;
}

/** Opens the database and every port the configuration asks for. */
export async function buildDeps(config: Config, opts: BuildOptions = {}): Promise<Deps> {
  // Warnings and errors of a logger built here are also kept in SQLite for the admin console.
  const events = opts.logger ? undefined : createEventSink();
  const logger = opts.logger ?? createLogger({ level: config.LOG_LEVEL, service: opts.service, events });
  const db = openDatabase(join(config.DATA_DIR, 'context-os.db'));
  events?.attach(db);
  const closers: Array<() => Promise<void> | void> = [
    () => {
      events?.detach();
      db.close();
    },
  ];
  const readiness: ReadinessCheck[] = [
    {
      name: 'sqlite',
      required: true,
      async check() {
        db.sqlite.prepare('select 1').get();
        return { ok: true, detail: db.sqlite.pragma('journal_mode', { simple: true }) as string };
      },
    },
  ];
  const llm = buildLlm(config, logger);
  if (llm.readiness) readiness.push(llm.readiness);
  if (llm.embedder) await resolveEmbeddingDimension(llm.embedder, db);
  const embedder: Embedder = llm.embedder ?? createLocalEmbedder({ statistics: (terms) => termStatistics(db, terms) });
  const vectors = await buildVectorStore(config, db, embedder, logger);
  closers.push(() => vectors.close());
  readiness.push({ name: 'vectors', required: true, check: () => vectors.health() });
  const cache = await createCache(config, logger);
  closers.push(() => cache.close());
  if (cache.kind !== 'memory') readiness.push({ name: 'cache', required: false, check: () => cache.health() });
  const storage = createLocalStorage(config.FILES_DIR);
  const parser = new IsolatedParser({ ...DEFAULT_PARSE_LIMITS, idleMs: config.PARSE_IDLE_MS });
  closers.push(() => parser.close());
  readiness.push({ name: 'files', required: true, check: () => storage.health() });
  const queue = await createIngestQueue(config, logger);
  closers.push(() => queue.close());
  if (queue.kind === 'bullmq') readiness.push({ name: 'redis', required: true, check: () => queue.health() });
  const deps = {
    config,
    logger,
    db,
    jwtSecret: resolveJwtSecret(config),
    readiness,
    chat: llm.chat,
    embedder,
    reranker: llm.reranker,
    vectors,
    cache,
    queue,
    storage,
    parser,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
  // Reads deps.embedder and deps.vectors at each call; stopped first on close.
  const embeddingIndex = createEmbeddingIndex(deps);
  closers.push(() => embeddingIndex.close());
  return Object.assign(deps, { embeddingIndex });
}
