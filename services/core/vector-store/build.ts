import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { Embedder } from '../embedder/index.ts';
import type { VectorStore } from './index.ts';
import { createQdrantVectorStore } from './qdrant.ts';
import { createSqliteVectorStore } from './sqlite.ts';

/**
 * The vector store for one model and dimension: Qdrant when QDRANT_URL is set, else
 * sqlite-vec in the SQLite file. A Qdrant that is down at start does not stop the process:
 * the collection is created on first use and /readyz reports the store.
 */
export async function buildVectorStore(
  config: Pick<Config, 'QDRANT_URL' | 'QDRANT_API_KEY'>,
  db: Db,
  embedder: Pick<Embedder, 'model' | 'dimension'>,
): Promise<VectorStore> {
  const { model, dimension } = embedder;
  if (!(dimension > 0)) throw new Error(`embedding dimension of ${model} is unknown`);
  if (config.QDRANT_URL) {
    const store = createQdrantVectorStore({ url: config.QDRANT_URL, apiKey: config.QDRANT_API_KEY, model, dimension });
    await store.init().catch(() => undefined);
    return store;
  }
  const store = createSqliteVectorStore(db.sqlite, { model, dimension });
  await store.init();
  return store;
}
