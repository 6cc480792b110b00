import { termStatistics } from '../db/chunk-index.ts';
import type { Deps } from '../deps.ts';
import type { Embedder } from '../embedder/index.ts';
import { createLocalEmbedder, LOCAL_EMBEDDING_MODELS } from '../embedder/local.ts';
import { createOneApiEmbedder } from '../embedder/oneapi.ts';
import { createOneApiSdk } from '../llm/connection.ts';
import { createLimiter } from '../llm/limiter.ts';
import { buildVectorStore } from '../vector-store/build.ts';
import type { VectorStore } from '../vector-store/index.ts';
import { startReindex } from './reindex.ts';

/** The embedder and store a search uses: they always belong to the same model. */
export interface SearchIndex {
  embedder: Embedder;
  store: VectorStore;
}

/** Builds an embedder for a model that is no longer the configured one; undefined when it cannot. */
export type EmbedderResolver = (model: string, dimension: number) => Embedder | undefined;

const previous = new WeakMap<Deps, Map<string, Promise<SearchIndex | undefined>>>();

/** Local models are rebuilt from their name; other models through ONEAPI when it is configured. */
export function defaultResolver(deps: Deps): EmbedderResolver {
  return (model, dimension) => {
    if (LOCAL_EMBEDDING_MODELS.includes(model)) {
      return createLocalEmbedder({ model, dimension, statistics: (terms) => termStatistics(deps.db, terms) });
    }
    if (!deps.config.ONEAPI_BASE_URL) return undefined;
    const sdk = createOneApiSdk(deps.config);
    const limiter = createLimiter(deps.config.ONEAPI_CONCURRENCY);
    return createOneApiEmbedder({ sdk, limiter, logger: deps.logger, model, dimension });
  };
}

/**
 * The index searches read right now. It is the configured embedder's own store unless
 * `embedding_indexes` names another model as active: then the configured model is still
 * being filled in the background, so searches keep using the previous model and its vectors.
 */
export async function activeIndex(deps: Deps, resolve: EmbedderResolver = defaultResolver(deps)): Promise<SearchIndex> {
  const current = { embedder: deps.embedder, store: deps.vectors };
  const row = deps.db.sqlite.prepare(`SELECT model, dimension FROM embedding_indexes WHERE state = 'active'`).get() as
    | { model: string; dimension: number }
    | undefined;
  if (!row) {
    const { changes } = deps.db.sqlite
      .prepare(`INSERT OR IGNORE INTO embedding_indexes (model, dimension, state, progress) VALUES (?, ?, 'active', 1)`)
      .run(deps.embedder.model, deps.embedder.dimension);
    // A build of this model left unfinished (a crash, or a changed dimension): resume it.
    if (changes === 0) void startReindex(deps);
    return current;
  }
  if (row.model === deps.embedder.model) {
    // Same model, new dimension: the old vectors cannot answer the new query vectors.
    if (row.dimension !== deps.embedder.dimension) void startReindex(deps);
    return current;
  }
  void startReindex(deps);
  const byModel = previous.get(deps) ?? new Map<string, Promise<SearchIndex | undefined>>();
  previous.set(deps, byModel);
  const key = `${row.model}\u0000${row.dimension}`;
  let found = byModel.get(key);
  if (!found) {
    found = openPrevious(deps, resolve, row.model, row.dimension);
    byModel.set(key, found);
  }
  return (await found) ?? current;
}

async function openPrevious(
  deps: Deps,
  resolve: EmbedderResolver,
  model: string,
  dimension: number,
): Promise<SearchIndex | undefined> {
  const embedder = resolve(model, dimension);
  if (!embedder) {
    deps.logger.warn({ model }, 'previous embedding model unavailable; searching the index being rebuilt');
    return undefined;
  }
  return { embedder, store: await buildVectorStore(deps.config, deps.db, { model, dimension }) };
}
