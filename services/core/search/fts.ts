import type { Db } from '../db/index.ts';
import type { ChunkLayer } from '../db/schema.ts';
import type { Ranked } from './rrf.ts';

export interface FtsFilter {
  kbId: string;
  layer: ChunkLayer;
  documentIds?: string[];
  parentIds?: string[];
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

/**
 * BM25 ranking over `chunks_fts` for one KB and layer, narrowed like a vector search.
 * `match` is an `ftsQuery()` expression; scores are BM25 relevance, higher is better.
 */
export function ftsRank(db: Db, match: string, filter: FtsFilter, limit: number): Ranked[] {
  if (limit <= 0 || filter.documentIds?.length === 0 || filter.parentIds?.length === 0) return [];
  const where = ['chunks_fts MATCH ?', 'kb_id = ?', 'layer = ?'];
  const params: unknown[] = [match, filter.kbId, filter.layer];
  if (filter.documentIds) {
    where.push(`document_id IN (${placeholders(filter.documentIds.length)})`);
    params.push(...filter.documentIds);
  }
  if (filter.parentIds) {
    where.push(`parent_id IN (${placeholders(filter.parentIds.length)})`);
    params.push(...filter.parentIds);
  }
  const rows = db.sqlite
    .prepare(
      `SELECT chunk_id, document_id, parent_id, bm25(chunks_fts) AS rank FROM chunks_fts
       WHERE ${where.join(' AND ')} ORDER BY rank LIMIT ?`,
    )
    .all(...params, limit) as Array<{ chunk_id: string; document_id: string; parent_id: string | null; rank: number }>;
  return rows.map((r) => ({
    id: r.chunk_id,
    documentId: r.document_id,
    parentId: r.parent_id || null,
    score: -r.rank,
  }));
}
