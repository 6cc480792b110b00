import type { Config } from '../config.ts';
import {
  activateIndex,
  activeEmbeddingIndex,
  claimIndexBuild,
  forgetRetiredIndex,
  type IndexKey,
  type IndexRow,
  listEmbeddingIndexes,
  recordBuildProgress,
  recordFirstIndex,
} from '../db/embedding-indexes.ts';
import type { Db } from '../db/index.ts';
import type { ReadinessCheck } from '../deps.ts';
import type { Embedder } from '../embedder/index.ts';
import type { Logger } from '../logger.ts';
import { buildVectorStore } from '../vector-store/build.ts';
import { chunkPoint, type VectorPoint, type VectorStore } from '../vector-store/index.ts';
import { type EmbedderResolver, previousEmbedderResolver } from './previous-embedder.ts';
import { fillIndex } from './reindex.ts';

/** The embedder and store a search uses: they always belong to the same model. */
export interface SearchIndex {
  embedder: Embedder;
  store: VectorStore;
}

/** Whose vectors a write or delete concerns: one document, or a whole KB. */
export type VectorScope = { userId: string; documentId: string } | { userId: string; kbId: string };

/** A document's new chunks with their vectors. */
export interface DocumentVectors {
  userId: string;
  kbId: string;
  documentId: string;
  chunks: Array<Pick<VectorPoint, 'id' | 'parentId' | 'layer' | 'vector'>>;
}

/**
 * The embedding indexes of an installation, one per model that has vectors: the one searches
 * read, one being built for a newly configured model, and retired ones until their store is
 * dropped. Every write and delete of vectors goes through here, so it reaches each of them.
 */
export interface EmbeddingIndex {
  /** The index searches read now: the configured one, unless a previous model stays active while it is built. */
  searched(): Promise<SearchIndex>;
  /**
   * Replaces a document's vectors around `writeRows` (its chunk rows' write, false when the
   * document is gone): removed from every index, written to the configured one, then, after
   * the rows, written again to any index being built (a re-embedding may have read the rows of
   * before). Returns what `writeRows` returned; a gone document keeps no vector.
   */
  replaceDocument(doc: DocumentVectors, writeRows: () => boolean): Promise<boolean>;
  /** Removes a document's or a KB's vectors from every index around `removeRows`, in the same way. */
  remove(scope: VectorScope, removeRows: () => void): Promise<void>;
  /**
   * Fills the configured model's index from the chunk text when another is active, once at a
   * time per process (a call while one runs joins it); true when this run switched searches to
   * it. Searches keep using the active index until every chunk is embedded.
   */
  rebuild(): Promise<boolean>;
  /** Drops the store of every retired index and forgets it; returns how many. */
  retire(): Promise<number>;
  /** Every index and how far its build has come, newest first. */
  status(): IndexRow[];
  /** A /readyz line: the active model and any build with its progress. */
  readiness: ReadinessCheck;
  /** Aborted by `close`: background index work stops at its next step. */
  readonly signal: AbortSignal;
  /** Stops a running build (it resumes at the next start) and closes the stores opened here. */
  close(): Promise<void>;
}

/** What the index reads from Deps; `embedder` and `vectors` are read at each call. */
export interface EmbeddingIndexParts {
  config: Config;
  db: Db;
  logger: Logger;
  embedder: Embedder;
  vectors: VectorStore;
}

/** A build whose heartbeat is older than this is taken over by another process. */
const STALE_MS = 60_000;
/** A process that found the build taken waits this long before trying again. */
const RETRY_MS = 30_000;
const UPSERT_BATCH = 256;

const keyOf = (k: IndexKey) => `${k.model}\u0000${k.dimension}`;
const clear = (store: VectorStore, scope: VectorScope) =>
  'documentId' in scope
    ? store.deleteByDocument(scope.userId, scope.documentId)
    : store.deleteByKb(scope.userId, scope.kbId);
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createEmbeddingIndex(
  parts: EmbeddingIndexParts,
  resolve: EmbedderResolver = previousEmbedderResolver(parts),
): EmbeddingIndex {
  const { db, logger } = parts;
  const stop = new AbortController();
  /** Stores of other indexes than the configured one, by `keyOf`. */
  const opened = new Map<string, { key: IndexKey; store: Promise<VectorStore | undefined> }>();
  const embedders = new Map<string, Embedder | undefined>();
  let run: { promise: Promise<boolean>; startedAt: number; settled: boolean } | undefined;

  const configuredKey = (): IndexKey => ({ model: parts.embedder.model, dimension: parts.vectors.dimension });
  const isConfigured = (k: IndexKey) => keyOf(k) === keyOf(configuredKey());

  const forget = (k: IndexKey) => {
    const entry = opened.get(keyOf(k));
    opened.delete(keyOf(k));
    embedders.delete(keyOf(k));
    return entry?.store.then((s) => s?.close()).catch(() => undefined);
  };

  /** Opens the store of an index row; undefined when the row went away meanwhile (its store is dropped again). */
  const storeOf = (k: IndexKey): Promise<VectorStore | undefined> => {
    const found = opened.get(keyOf(k));
    if (found) return found.store;
    const store = buildVectorStore(parts.config, db, k, logger).then(async (s) => {
      if (listEmbeddingIndexes(db).some((r) => keyOf(r) === keyOf(k))) return s;
      // Dropped by another process between the read of its row and the opening, which re-created it.
      await s.drop();
      opened.delete(keyOf(k));
      return undefined;
    });
    opened.set(keyOf(k), { key: k, store });
    return store;
  };

  /** The stores of the indexes in `states`, the configured one first when `withConfigured`. */
  const stores = async (states: Array<IndexRow['state']>, withConfigured: boolean): Promise<VectorStore[]> => {
    const rows = listEmbeddingIndexes(db);
    const listed = new Set(rows.map(keyOf));
    for (const { key } of [...opened.values()]) if (!listed.has(keyOf(key))) void forget(key);
    const out: VectorStore[] = withConfigured ? [parts.vectors] : [];
    for (const row of rows) {
      if (!states.includes(row.state)) continue;
      if (isConfigured(row)) {
        if (!withConfigured) out.push(parts.vectors);
        continue;
      }
      const store = await storeOf(row);
      if (store) out.push(store);
    }
    return out;
  };
  const everyIndex = () => stores(['active', 'building', 'retired'], true);
  const building = () => stores(['building'], false);

  /** The second pass after the rows: a failure is logged, the rows being already written. */
  const afterRows = async (what: string, scope: VectorScope, write: (store: VectorStore) => Promise<void>) => {
    try {
      for (const store of await building()) await write(store);
    } catch (err) {
      logger.warn({ ...scope, err: errorText(err) }, `could not ${what} in the embedding index being built`);
    }
  };

  const upsertAll = async (store: VectorStore, points: VectorPoint[]) => {
    for (let i = 0; i < points.length; i += UPSERT_BATCH) await store.upsert(points.slice(i, i + UPSERT_BATCH));
  };

  const build = async (): Promise<boolean> => {
    const { embedder, vectors: store } = parts;
    const key = configuredKey();
    const active = activeEmbeddingIndex(db);
    if (active && keyOf(active) === keyOf(key)) return false;
    if (!active && recordFirstIndex(db, key)) return false;
    const claim = claimIndexBuild(db, key, STALE_MS);
    if (!claim.claimed) return false;
    // The same model at another dimension: nothing reads those vectors any more.
    if (claim.replaced) await (await buildVectorStore(parts.config, db, claim.replaced, logger)).drop();
    await store.init();
    const log = logger.child({ component: 'reindex', from: active?.model, to: embedder.model });
    log.info('re-embedding every chunk for a new embedding model');
    const onProgress = (progress: number) => recordBuildProgress(db, key.model, progress);
    if (!(await fillIndex({ db, logger: log, signal: stop.signal, onProgress }, { embedder, store }))) return false;
    if (!activateIndex(db, key)) return false;
    log.info('search switched to the new embedding model');
    await index.retire();
    return true;
  };

  const index: EmbeddingIndex = {
    signal: stop.signal,
    async searched() {
      const configured = { embedder: parts.embedder, store: parts.vectors };
      const row = activeEmbeddingIndex(db);
      if (!row) {
        // A build of this model left unfinished (a crash, or a changed dimension): resume it.
        if (!recordFirstIndex(db, configuredKey())) void index.rebuild();
        return configured;
      }
      // Same model, new dimension: the old vectors cannot answer the new query vectors.
      if (row.model === configured.embedder.model) {
        if (row.dimension !== configured.store.dimension) void index.rebuild();
        return configured;
      }
      void index.rebuild();
      const store = await storeOf(row);
      if (!embedders.has(keyOf(row))) {
        const embedder = resolve(row.model, row.dimension);
        if (!embedder)
          logger.warn({ model: row.model }, 'previous embedding model unavailable; searching the index being rebuilt');
        embedders.set(keyOf(row), embedder);
      }
      const embedder = embedders.get(keyOf(row));
      return store && embedder ? { embedder, store } : configured;
    },
    async replaceDocument(doc, writeRows) {
      const scope = { userId: doc.userId, documentId: doc.documentId };
      const points = doc.chunks.map((c) => chunkPoint(doc, c, c.vector));
      for (const store of await everyIndex()) await clear(store, scope);
      await upsertAll(parts.vectors, points);
      if (!writeRows()) {
        for (const store of await everyIndex()) await clear(store, scope);
        return false;
      }
      await afterRows('write a document', scope, async (store) => {
        await clear(store, scope);
        if (store === parts.vectors) await upsertAll(store, points);
      });
      return true;
    },
    async remove(scope, removeRows) {
      for (const store of await everyIndex()) await clear(store, scope);
      removeRows();
      await afterRows('delete vectors', scope, (store) => clear(store, scope));
    },
    rebuild() {
      if (stop.signal.aborted) return Promise.resolve(false);
      if (run && (!run.settled || Date.now() - run.startedAt < RETRY_MS)) return run.promise;
      const entry = { promise: Promise.resolve(false), startedAt: Date.now(), settled: false };
      entry.promise = build()
        .catch((err: unknown) => {
          logger.error({ err: errorText(err) }, 're-embedding failed');
          return false;
        })
        .finally(() => {
          entry.settled = true;
        });
      run = entry;
      return entry.promise;
    },
    async retire() {
      let dropped = 0;
      for (const row of listEmbeddingIndexes(db)) {
        // A retired model configured again is rebuilt in place instead.
        if (row.state !== 'retired' || isConfigured(row)) continue;
        const store = (await opened.get(keyOf(row))?.store) ?? (await buildVectorStore(parts.config, db, row, logger));
        await store.drop();
        forgetRetiredIndex(db, row);
        await forget(row);
        logger.info({ model: row.model, dimension: row.dimension }, 'retired embedding index dropped');
        dropped++;
      }
      return dropped;
    },
    status: () => listEmbeddingIndexes(db),
    readiness: indexReadiness(db),
    async close() {
      stop.abort();
      await run?.promise;
      await Promise.all([...opened.values()].map(({ key }) => forget(key)));
    },
  };
  return index;
}

/** The /readyz line of the embedding indexes: the active model and any build with its progress. */
function indexReadiness(db: Db): ReadinessCheck {
  return {
    name: 'embedding-index',
    required: false,
    async check() {
      const rows = listEmbeddingIndexes(db)
        .filter((s) => s.state !== 'retired')
        .sort((a, b) => Number(b.state === 'active') - Number(a.state === 'active'));
      const detail = rows
        .map((s) =>
          s.state === 'active' ? `active ${s.model}` : `building ${s.model} ${Math.round(s.progress * 100)}%`,
        )
        .join(', ');
      return { ok: true, detail: detail || 'none yet' };
    },
  };
}
