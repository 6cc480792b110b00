import type { ChunkLayer } from '../db/schema.ts';

/**
 * A vector plus the ids needed to filter it. `id` is the chunk id; `userId` is the partition
 * of the chunk's KB (the KB's creator, `knowledge_bases.user_id`), whichever member uploaded it.
 */
export interface VectorPoint {
  id: string;
  vector: Float32Array;
  userId: string;
  kbId: string;
  documentId: string;
  parentId: string | null;
  layer: ChunkLayer;
}

/** The point of a chunk of a document: its vector under the chunk's id, with the ids a search filters on. */
export function chunkPoint(
  owner: Pick<VectorPoint, 'userId' | 'kbId' | 'documentId'>,
  chunk: Pick<VectorPoint, 'id' | 'parentId' | 'layer'>,
  vector: Float32Array,
): VectorPoint {
  const { userId, kbId, documentId } = owner;
  return { id: chunk.id, vector, userId, kbId, documentId, parentId: chunk.parentId, layer: chunk.layer };
}

/** Every search is scoped to one KB (under its partition) and one layer; the rest narrows it further. */
export interface VectorFilter {
  userId: string;
  kbId: string;
  layer: ChunkLayer;
  documentIds?: string[];
  parentIds?: string[];
}

export interface VectorHit {
  id: string;
  /** Cosine similarity, higher is closer. */
  score: number;
  documentId: string;
  parentId: string | null;
}

export interface VectorStoreHealth {
  ok: boolean;
  detail?: string;
}

/**
 * Where vectors live: sqlite-vec inside the SQLite file by default, Qdrant at scale.
 * An instance serves one embedding model and dimension (its own collection or table).
 */
export interface VectorStore {
  readonly kind: 'sqlite-vec' | 'hnsw' | 'qdrant';
  readonly model: string;
  readonly dimension: number;
  /** Creates the collection/table and its indexes if missing. Safe to call twice. */
  init(): Promise<void>;
  /** Inserts or replaces points by id. */
  upsert(points: VectorPoint[]): Promise<void>;
  search(vector: Float32Array, filter: VectorFilter, limit: number): Promise<VectorHit[]>;
  /**
   * Whether a search of a whole partition (a user's KB, one layer) is fast here, whatever its
   * size: true with an approximate index, false where the store would scan every point.
   */
  fastWideSearch(scope: Pick<VectorFilter, 'userId' | 'kbId' | 'layer'>): boolean;
  /** Builds or loads whatever index searches need, before they come; resolves when done. */
  prepare(): Promise<void>;
  deleteByDocument(userId: string, documentId: string): Promise<void>;
  deleteByKb(userId: string, kbId: string): Promise<void>;
  count(filter?: Partial<VectorFilter>): Promise<number>;
  /** Removes the table or collection with every vector in it (an index no longer used). Safe to call twice. */
  drop(): Promise<void>;
  health(): Promise<VectorStoreHealth>;
  close(): Promise<void>;
}
