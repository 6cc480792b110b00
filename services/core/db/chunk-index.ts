import { segmentForIndex } from '../text/tokenize.ts';
import type { Db } from './index.ts';
import { type ChunkLayer, chunkLayers } from './schema.ts';

/**
 * The owner of a document's index rows in SQLite: `chunks` (the text of the three layers) and
 * `fts_document`, `fts_parent`, `fts_child` (their analysed words, one FTS5 table per layer so
 * each layer's BM25 statistics are its own). Ingest, deletes, re-analysis, tests and benchmarks all
 * write through here, so every writer produces the same rows.
 */

/** The full-text table of a layer. */
export const ftsTable = (layer: ChunkLayer) => `fts_${layer}`;
const FTS_TABLES = chunkLayers.map(ftsTable);

/**
 * The version of the text analysis in the full-text tables. Documents written with an older one are
 * re-analysed in the background (`reanalyseStaleDocuments`) from the text in `chunks`.
 */
export const TEXT_INDEX_VERSION = 2;

/** One chunk row as stored. */
export interface ChunkRow {
  id: string;
  parentId: string | null;
  layer: ChunkLayer;
  position: number;
  /** The heading path of its section; the title for the document layer. */
  heading: string | null;
  page: number | null;
  content: string;
  tokenCount: number;
}

/** Where a document's rows belong. */
export interface ChunkOwner {
  userId: string;
  kbId: string;
  documentId: string;
}

/** A chunk's words as the full-text index holds them: body and heading apart, so each has its weight. */
export interface AnalysedChunk {
  content: string;
  heading: string;
}

/** Segmenting is the slow part: call it before taking the write lock. */
export function analyseChunks(rows: Array<Pick<ChunkRow, 'content' | 'heading'>>): AnalysedChunk[] {
  return rows.map((r) => ({ content: segmentForIndex(r.content), heading: segmentForIndex(r.heading ?? '') }));
}

/** A token naming an id inside the `scope` column (ids are UUIDs; other characters are dropped). */
const token = (prefix: string, id: string) => `${prefix}${id.toLowerCase().replace(/[^a-z0-9]/g, '')}`;

/**
 * The `scope` column of a row: its KB, document and section as single tokens, and `all` (whose
 * document frequency is the table's row count). A section's token is on the section's own row
 * and on each of its passages.
 */
function scopeOf(owner: ChunkOwner, row: Pick<ChunkRow, 'id' | 'layer' | 'parentId'>): string {
  const parts = ['all', token('k', owner.kbId), token('d', owner.documentId)];
  const section = row.layer === 'parent' ? row.id : row.parentId;
  if (section) parts.push(token('p', section));
  return parts.join(' ');
}

/** Deletes a document's chunk and full-text rows; call inside a write transaction. */
export function deleteDocumentChunks(db: Db, documentId: string): void {
  deleteDocumentText(db, documentId);
  db.sqlite.prepare('DELETE FROM chunks WHERE document_id = ?').run(documentId);
}

function deleteDocumentText(db: Db, documentId: string): void {
  for (const table of FTS_TABLES) db.sqlite.prepare(`DELETE FROM ${table} WHERE document_id = ?`).run(documentId);
}

/** Deletes the full-text rows of a KB (its chunk rows go with its documents by cascade). */
export function deleteKbText(db: Db, kbId: string): void {
  for (const table of FTS_TABLES) db.sqlite.prepare(`DELETE FROM ${table} WHERE kb_id = ?`).run(kbId);
}

/** Full-text rows of a document or a KB, and how many distinct chunks they name (tests check that deletes and retries leave none behind or twice). */
export function countTextRows(db: Db, where: { documentId: string } | { kbId: string }): { n: number; d: number } {
  const [column, value] = 'documentId' in where ? ['document_id', where.documentId] : ['kb_id', where.kbId];
  const union = FTS_TABLES.map((t) => `SELECT chunk_id FROM ${t} WHERE ${column} = ?`).join(' UNION ALL ');
  return db.sqlite
    .prepare(`SELECT count(*) AS n, count(DISTINCT chunk_id) AS d FROM (${union})`)
    .get(...FTS_TABLES.map(() => value)) as { n: number; d: number };
}

/**
 * Replaces a document's rows with `rows` and their analysed words (same order, from
 * `analyseChunks`); call inside a write transaction.
 */
export function writeDocumentChunks(db: Db, owner: ChunkOwner, rows: ChunkRow[], analysed: AnalysedChunk[]): void {
  deleteDocumentChunks(db, owner.documentId);
  const insertChunk = db.sqlite.prepare(
    `INSERT INTO chunks (id, user_id, kb_id, document_id, parent_id, layer, position, heading, page, content, token_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const c of rows) {
    insertChunk.run(
      c.id,
      owner.userId,
      owner.kbId,
      owner.documentId,
      c.parentId,
      c.layer,
      c.position,
      c.heading,
      c.page,
      c.content,
      c.tokenCount,
    );
  }
  writeText(db, owner, rows, analysed);
  db.sqlite.prepare('UPDATE documents SET text_version = ? WHERE id = ?').run(TEXT_INDEX_VERSION, owner.documentId);
}

function writeText(db: Db, owner: ChunkOwner, rows: ChunkRow[], analysed: AnalysedChunk[]): void {
  const inserts = new Map(
    chunkLayers.map((layer) => [
      layer,
      db.sqlite.prepare(
        `INSERT INTO ${ftsTable(layer)} (content, heading, scope, chunk_id, kb_id, document_id, parent_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
    ]),
  );
  rows.forEach((c, i) => {
    const words = analysed[i];
    if (!words) throw new Error(`no analysed text for chunk ${c.id}`);
    inserts
      .get(c.layer)
      ?.run(words.content, words.heading, scopeOf(owner, c), c.id, owner.kbId, owner.documentId, c.parentId);
  });
}

/** The chunk rows of a document, in layer order (document, parents, children) and position. */
export function documentChunks(db: Db, documentId: string): ChunkRow[] {
  return db.sqlite
    .prepare(
      `SELECT id, parent_id AS parentId, layer, position, heading, page, content, token_count AS tokenCount
       FROM chunks WHERE document_id = ?
       ORDER BY CASE layer WHEN 'document' THEN 0 WHEN 'parent' THEN 1 ELSE 2 END, position`,
    )
    .all(documentId) as ChunkRow[];
}

/** Completed documents whose full-text rows were written by an older text analysis, oldest first. */
export function staleTextDocuments(db: Db, limit: number): ChunkOwner[] {
  return db.sqlite
    .prepare(
      `SELECT id AS documentId, user_id AS userId, kb_id AS kbId FROM documents
       WHERE text_version < ? AND status = 'completed' ORDER BY created_at LIMIT ?`,
    )
    .all(TEXT_INDEX_VERSION, limit) as ChunkOwner[];
}

/** Rewrites a document's full-text rows from its stored chunks; call inside a write transaction. */
export function rewriteDocumentText(db: Db, owner: ChunkOwner, rows: ChunkRow[], analysed: AnalysedChunk[]): void {
  deleteDocumentText(db, owner.documentId);
  writeText(db, owner, rows, analysed);
  db.sqlite.prepare('UPDATE documents SET text_version = ? WHERE id = ?').run(TEXT_INDEX_VERSION, owner.documentId);
}

/**
 * Document frequencies of `analyze` terms over the indexed passages, and the number of
 * passages (the frequency of the `all` token every row carries): the statistics BM25 uses.
 */
export function termStatistics(db: Db, terms: string[]): { rows: number; df: Map<string, number> } {
  const wanted = ['all', ...new Set(terms)];
  const found = db.sqlite
    .prepare(`SELECT term, doc FROM fts_child_vocab WHERE term IN (${wanted.map(() => '?').join(',')})`)
    .all(...wanted) as Array<{ term: string; doc: number }>;
  const df = new Map(found.map((r) => [r.term, r.doc]));
  return { rows: df.get('all') ?? 0, df };
}

/** Child chunks of a KB's documents, from their counts on the document rows. */
export function kbChildCount(db: Db, kbId: string): number {
  const row = db.sqlite
    .prepare(`SELECT coalesce(sum(child_count), 0) AS n FROM documents WHERE kb_id = ? AND status = 'completed'`)
    .get(kbId) as { n: number };
  return row.n;
}

/** How many passages each of these sections holds. */
export function childCounts(db: Db, parentIds: string[]): Map<string, number> {
  if (parentIds.length === 0) return new Map();
  const rows = db.sqlite
    .prepare(
      `SELECT parent_id AS id, count(*) AS n FROM chunks WHERE parent_id IN (${parentIds.map(() => '?').join(',')})
       GROUP BY parent_id`,
    )
    .all(...parentIds) as Array<{ id: string; n: number }>;
  return new Map(rows.map((r) => [r.id, r.n]));
}
