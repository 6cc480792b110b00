import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { Embedder } from '../embedder/index.ts';
import { createHnswVectorStore, type IndexLogger } from './hnsw.ts';
import type { VectorStore } from './index.ts';
import { createSqliteVectorStore } from './sqlite.ts';

/** Where the embedded store saves its approximate indexes: beside the database, never in the bucket. */
export const vectorIndexDir = (config: Pick<Config, 'DATA_DIR'>) => join(config.DATA_DIR, 'vector-index');

/**
 * The vector store for one model and dimension: Qdrant when QDRANT_URL is set, else sqlite-vec
 * in the SQLite file, with an HNSW index per large partition unless VECTOR_INDEX=exact. A
 * Qdrant that is down at start does not stop the process: the collection is created on first
 * use and /readyz reports the store. Qdrant's client (4 MB of heap) is loaded only when it is used.
 */
export async function buildVectorStore(
  config: Pick<Config, 'QDRANT_URL' | 'QDRANT_API_KEY' | 'DATA_DIR' | 'VECTOR_INDEX' | 'VECTOR_INDEX_MIN_POINTS'>,
  db: Db,
  embedder: Pick<Embedder, 'model' | 'dimension'>,
  logger?: IndexLogger,
): Promise<VectorStore> {
  const { model, dimension } = embedder;
  if (!(dimension > 0)) throw new Error(`embedding dimension of ${model} is unknown`);
  if (config.QDRANT_URL) {
    const { createQdrantVectorStore } = await import('./qdrant.ts');
    const store = createQdrantVectorStore({ url: config.QDRANT_URL, apiKey: config.QDRANT_API_KEY, model, dimension });
    await store.init().catch(() => undefined);
    return store;
  }
  const store =
    config.VECTOR_INDEX === 'exact'
      ? createSqliteVectorStore(db.sqlite, { model, dimension })
      : createHnswVectorStore(db.sqlite, {
          model,
          dimension,
          dir: vectorIndexDir(config),
          minPoints: config.VECTOR_INDEX_MIN_POINTS,
          logger,
        });
  await store.init();
  return store;
}
