import type { Db } from '../db/index.ts';
import type { ChunkLayer } from '../db/schema.ts';
import type { Ranked } from './rrf.ts';

/** A full-text match with the ids needed to place it in a layer. */
export interface TextHit extends Ranked {
  layer: ChunkLayer;
}

export interface TextFilter {
  layer: ChunkLayer;
  documentIds?: string[];
  parentIds?: string[];
}

/**
 * The KB's best BM25 matches across all layers, best first, in one pass over `chunks_fts`.
 * `match` is an `ftsQuery()` expression; scores are BM25 relevance, higher is better.
 */
export function textSearch(db: Db, match: string, kbId: string, limit: number): TextHit[] {
  const rows = db.sqlite
    .prepare(
      `SELECT chunk_id, document_id, parent_id, layer, rank FROM chunks_fts
       WHERE chunks_fts MATCH ? AND kb_id = ? ORDER BY rank LIMIT ?`,
    )
    .all(match, kbId, limit) as Array<{
    chunk_id: string;
    document_id: string;
    parent_id: string | null;
    layer: ChunkLayer;
    rank: number;
  }>;
  return rows.map((r) => ({
    id: r.chunk_id,
    documentId: r.document_id,
    parentId: r.parent_id || null,
    layer: r.layer,
    score: -r.rank,
  }));
}

/** The text matches of one layer inside a narrowing, best first. */
export function narrowText(hits: TextHit[], filter: TextFilter, limit: number): Ranked[] {
  const docs = filter.documentIds && new Set(filter.documentIds);
  const parents = filter.parentIds && new Set(filter.parentIds);
  const out: Ranked[] = [];
  for (const h of hits) {
    if (out.length >= limit) break;
    if (h.layer !== filter.layer) continue;
    if (docs && !docs.has(h.documentId)) continue;
    if (parents && !(h.parentId && parents.has(h.parentId))) continue;
    out.push(h);
  }
  return out;
}
