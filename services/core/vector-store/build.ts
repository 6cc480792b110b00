import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { Embedder } from '../embedder/index.ts';
import type { VectorStore } from './index.ts';
import { createSqliteVectorStore } from './sqlite.ts';

/** The vector store for one embedder's model and dimension, created and ready to use. */
export async function buildVectorStore(
  _config: Pick<Config, 'QDRANT_URL' | 'QDRANT_API_KEY'>,
  db: Db,
  embedder: Pick<Embedder, 'model' | 'dimension'>,
): Promise<VectorStore> {
  const store = createSqliteVectorStore(db.sqlite, { model: embedder.model, dimension: embedder.dimension });
  await store.init();
  return store;
}
