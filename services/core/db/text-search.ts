import { ftsTable } from './chunk-index.ts';
import type { Db } from './index.ts';
import type { ChunkLayer } from './schema.ts';

/** A full-text match: the chunk, where it sits, and its BM25 relevance (higher is better). */
export interface TextHit {
  id: string;
  documentId: string;
  parentId: string | null;
  score: number;
}

export interface TextQuery {
  kbId: string;
  layer: ChunkLayer;
  /** An `ftsQuery()` expression: quoted words joined by OR. */
  match: string;
  documentIds?: string[];
  parentIds?: string[];
  limit: number;
  /** BM25 weight of the heading words against the body's 1; 0 ranks by the body alone. */
  headingWeight: number;
}

const quoteToken = (prefix: string, id: string) => `"${prefix}${id.toLowerCase().replace(/[^a-z0-9]/g, '')}"`;

/**
 * Past this many ids a narrowing is a plain column test instead of scope tokens: FTS5's time
 * grows with the square of an OR list (5,000 document tokens took 6 s where the column test
 * over the KB's matches took 70 ms), while a few tokens are the fastest way in.
 */
const TOKEN_LIMIT = 200;

const byTokens = (ids: string[] | undefined): ids is string[] => ids !== undefined && ids.length <= TOKEN_LIMIT;

/** The MATCH expression: the words in body or heading, narrowed by scope tokens inside FTS5. */
function expression(q: TextQuery): string {
  const parts = [`{content heading} : (${q.match})`, `scope : ${quoteToken('k', q.kbId)}`];
  if (byTokens(q.documentIds)) parts.push(`scope : (${q.documentIds.map((id) => quoteToken('d', id)).join(' OR ')})`);
  if (byTokens(q.parentIds)) parts.push(`scope : (${q.parentIds.map((id) => quoteToken('p', id)).join(' OR ')})`);
  return parts.join(' AND ');
}

/** Long id lists, tested on the columns of the rows FTS5 matched, before they are ranked and cut. */
function columnTests(q: TextQuery): { sql: string; params: string[] } {
  const sql: string[] = [];
  const params: string[] = [];
  for (const [column, ids] of [
    ['document_id', q.documentIds],
    ['parent_id', q.parentIds],
  ] as const) {
    if (!ids || byTokens(ids)) continue;
    sql.push(` AND ${column} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(ids));
  }
  return { sql: sql.join(''), params };
}

/**
 * The best BM25 matches of one layer of a KB (optionally inside some documents or parents),
 * best first, from that layer's own table. The KB and narrowing are terms of the FTS5 query itself, so rows of
 * other KBs are never scored.
 */
export function searchText(db: Db, q: TextQuery): TextHit[] {
  if (q.documentIds?.length === 0 || q.parentIds?.length === 0) return [];
  const table = ftsTable(q.layer);
  const columns = columnTests(q);
  const rows = db.sqlite
    .prepare(
      `SELECT chunk_id, document_id, parent_id, bm25(${table}, 1.0, ?, 0.0) AS rank FROM ${table}
       WHERE ${table} MATCH ?${columns.sql} ORDER BY rank LIMIT ?`,
    )
    .all(q.headingWeight, expression(q), ...columns.params, q.limit) as Array<{
    chunk_id: string;
    document_id: string;
    parent_id: string | null;
    rank: number;
  }>;
  return rows.map((r) => ({
    id: r.chunk_id,
    documentId: r.document_id,
    parentId: r.parent_id || null,
    score: -r.rank,
  }));
}
