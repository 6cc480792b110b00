import { segmentForIndex } from '../text/tokenize.ts';
import type { Db } from './index.ts';
import { type ChunkLayer, chunkLayers, type DocumentMetadata } from './schema.ts';

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
 * The version of the text analysis in the full-text tables: 2 the stems, 3 the stems and, in
 * passages, the exact English words (`indexTerms`), 4 long Chinese words with only the shorter
 * words that tile them (`tiledSearchCut`). Documents written with an older one are
 * re-analysed in the background (`reanalyseStaleText`) from the text in `chunks`; until then
 * their rows still match on the stems.
 */
export const TEXT_INDEX_VERSION = 4;

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

/**
 * Passages hold the exact English words beside their stems, sections and summaries the stems
 * alone: on the haystack eval the exact words in every layer added one answer of 231 at @1 and
 * @5 (en-dev), but grew those tables' index by 2x, and searches across sections at 100k
 * passages took 1.1 -> 3.6 ms. Segmenting is the slow part: call it before taking the write lock.
 */
export function analyseChunks(rows: Array<Pick<ChunkRow, 'content' | 'heading' | 'layer'>>): AnalysedChunk[] {
  return rows.map((r) => {
    const exact = r.layer === 'child';
    return { content: segmentForIndex(r.content, { exact }), heading: segmentForIndex(r.heading ?? '', { exact }) };
  });
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

/** A token naming an id inside the `scope` column (ids are UUIDs; other characters are dropped). */
const token = (prefix: string, id: string) => `${prefix}${id.toLowerCase().replace(/[^a-z0-9]/g, '')}`;

/**
 * The `scope` column of a row: its KB, document and section as single tokens, and `all`. A
 * section's token is on the section's own row and on each of its passages. No search reads `all`
 * any more (`rankedRows` in text-search.ts); new rows keep it so that BM25, which counts it in
 * a row's length, measures them as it measures the rows already written.
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

/** Whether a document's row still exists (it may be deleted while it is being processed). */
export function documentExists(db: Db, documentId: string): boolean {
  return db.sqlite.prepare('SELECT 1 FROM documents WHERE id = ?').get(documentId) !== undefined;
}

/** What a finished ingestion records on the document row besides its chunks. */
export interface IndexedDocument {
  title: string;
  summary: string;
  embeddingModel: string;
}

/**
 * Writes a document's index rows (see `writeDocumentChunks`) and marks it `completed` with its
 * title, summary, section and passage counts. False, writing nothing, when the document is gone.
 * Call inside a write transaction.
 */
export function completeDocumentIndex(
  db: Db,
  owner: ChunkOwner,
  rows: ChunkRow[],
  analysed: AnalysedChunk[],
  done: IndexedDocument,
): boolean {
  if (!documentExists(db, owner.documentId)) return false;
  writeDocumentChunks(db, owner, rows, analysed);
  const counts = { parent: 0, child: 0 };
  for (const c of rows) if (c.layer !== 'document') counts[c.layer]++;
  const now = Date.now();
  db.sqlite
    .prepare(
      `UPDATE documents SET status = 'completed', stage = NULL, progress = 100, error = NULL, summary = ?, title = ?,
         parent_count = ?, child_count = ?, embedding_model = ?, completed_at = ?, updated_at = ? WHERE id = ?`,
    )
    .run(done.summary, done.title, counts.parent, counts.child, done.embeddingModel, now, now, owner.documentId);
  return true;
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

/** A chunk row with its place, as a re-embedding reads it. */
export interface StoredChunk extends Pick<ChunkRow, 'id' | 'parentId' | 'layer' | 'heading' | 'content'>, ChunkOwner {
  rowid: number;
}

const STORED_CHUNK = `SELECT rowid, id, user_id AS userId, kb_id AS kbId, document_id AS documentId,
  parent_id AS parentId, layer, heading, content FROM chunks`;

/** Every chunk row, in pages by rowid: the rows after `afterRowid`, at most `limit`. */
export function chunksAfter(db: Db, afterRowid: number, limit: number): StoredChunk[] {
  return db.sqlite
    .prepare(`${STORED_CHUNK} WHERE rowid > ? ORDER BY rowid LIMIT ?`)
    .all(afterRowid, limit) as StoredChunk[];
}

/** A document's chunk rows as stored now, in rowid order. */
export function documentStoredChunks(db: Db, documentId: string): StoredChunk[] {
  return db.sqlite.prepare(`${STORED_CHUNK} WHERE document_id = ? ORDER BY rowid`).all(documentId) as StoredChunk[];
}

/** How many chunk rows there are, all layers and KBs. */
export function countChunks(db: Db): number {
  return (db.sqlite.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
}

/** The heading and text of these chunks as stored now; a chunk deleted since is missing. */
export function chunkTexts(db: Db, ids: string[]): Map<string, Pick<ChunkRow, 'heading' | 'content'>> {
  if (ids.length === 0) return new Map();
  const rows = db
    .statement(`SELECT id, heading, content FROM chunks WHERE id IN (${placeholders(ids.length)})`)
    .all(...ids) as Array<Pick<ChunkRow, 'id' | 'heading' | 'content'>>;
  return new Map(rows.map((r) => [r.id, { heading: r.heading, content: r.content }]));
}

/** The text of these chunks of one KB, by id. */
export function kbChunkContents(db: Db, kbId: string, ids: string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const rows = db
    .statement(`SELECT id, content FROM chunks WHERE id IN (${placeholders(ids.length)}) AND +kb_id = ?`)
    .all(...ids, kbId) as Array<{ id: string; content: string }>;
  return new Map(rows.map((r) => [r.id, r.content]));
}

/** A document as a search hit names it: its file name and summary (the document layer's text when it has none). */
export interface DocumentHeading {
  id: string;
  fileName: string;
  summary: string;
  metadata: DocumentMetadata;
}

/** The file names, summaries and metadata of these documents of one KB partition, by id. */
export function documentHeadings(db: Db, userId: string, kbId: string, ids: string[]): Map<string, DocumentHeading> {
  if (ids.length === 0) return new Map();
  const rows = db
    .statement(
      `SELECT d.id, d.file_name AS fileName, coalesce(d.summary, s.content, '') AS summary, d.metadata FROM documents d
       LEFT JOIN chunks s ON s.document_id = d.id AND s.layer = 'document'
       WHERE d.id IN (${placeholders(ids.length)}) AND +d.user_id = ? AND +d.kb_id = ?`,
    )
    .all(...ids, userId, kbId) as Array<Omit<DocumentHeading, 'metadata'> & { metadata: string }>;
  return new Map(rows.map((r) => [r.id, { ...r, metadata: JSON.parse(r.metadata) as DocumentMetadata }]));
}

/** Completed documents whose full-text rows were written by an older text analysis, oldest first. */
export function staleTextDocuments(db: Db, limit: number): ChunkOwner[] {
  return db
    .statement(
      `SELECT id AS documentId, user_id AS userId, kb_id AS kbId FROM documents
       WHERE text_version < ? AND status = 'completed' ORDER BY created_at LIMIT ?`,
    )
    .all(TEXT_INDEX_VERSION, limit) as ChunkOwner[];
}

/** Pages of merged index one step of `mergeTextStep` writes: up to 0.3 s of write lock at 20k passages, 0.8 s at 100k. */
const MERGE_PAGES = 200;

/**
 * One step of merging a layer's full-text index into one b-tree (FTS5's `merge` command): each
 * write adds a segment and FTS5 merges them only a few at a time, so a KB filled document by
 * document is searched over 10-20 segments, and every term is looked up in each (at 20k
 * passages of the haystack eval, 14 segments: drill-down 16.0 / 27.4 ms at p50 / p95, merged
 * 13.2 / 22.0). The first step (`first`) puts every segment on one level, later ones continue;
 * call inside a write transaction, until it returns false (no merging left to do).
 */
export function mergeTextStep(db: Db, layer: ChunkLayer, first: boolean): boolean {
  const table = ftsTable(layer);
  const changes = db.statement('SELECT total_changes() AS n');
  const before = (changes.get() as { n: number }).n;
  db.sqlite
    .prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('merge', ?)`)
    .run(first ? -MERGE_PAGES : MERGE_PAGES);
  // FTS5 counts two changes or more when the step did any work.
  return (changes.get() as { n: number }).n - before >= 2;
}

/** How many b-tree segments a layer's full-text index has: each is searched for every word. */
export function textSegments(db: Db, layer: ChunkLayer): number {
  return (db.statement(`SELECT count(DISTINCT segid) AS n FROM ${ftsTable(layer)}_idx`).get() as { n: number }).n;
}

/** Rewrites a document's full-text rows from its stored chunks; call inside a write transaction. */
export function rewriteDocumentText(db: Db, owner: ChunkOwner, rows: ChunkRow[], analysed: AnalysedChunk[]): void {
  deleteDocumentText(db, owner.documentId);
  writeText(db, owner, rows, analysed);
  db.sqlite.prepare('UPDATE documents SET text_version = ? WHERE id = ?').run(TEXT_INDEX_VERSION, owner.documentId);
}

/**
 * Document frequencies of `analyze` terms over the indexed passages, and the number of
 * passages: the statistics BM25 uses. The number comes from the KBs' passage counts, not from
 * the `all` token every passage carries: counting that token reads the whole index (2.9 ms at
 * 100k passages), and a word's count only reads that word's rows. A caller that has read
 * `passageCounts()` passes its `all` as `passages`, and the counts are not read again.
 */
export function termStatistics(db: Db, terms: string[], passages?: number): { rows: number; df: Map<string, number> } {
  const wanted = [...new Set(terms)];
  const found =
    wanted.length === 0
      ? []
      : (db
          .statement(`SELECT term, doc FROM fts_child_vocab WHERE term IN (${placeholders(wanted.length)})`)
          .all(...wanted) as Array<{ term: string; doc: number }>);
  const rows =
    passages ??
    (db.statement('SELECT coalesce(sum(passages), 0) AS rows FROM knowledge_bases').get() as { rows: number }).rows;
  return { rows, df: new Map(found.map((r) => [r.term, r.doc])) };
}

/**
 * How many passages the KB holds, and all KBs together: the KB rows' counts of their completed
 * documents' passages, kept by triggers on `documents` (summing the document rows took 1.9 ms a
 * search at 3,300 documents).
 */
export function passageCounts(db: Db, kbId: string): { kb: number; all: number } {
  return db
    .statement(
      `SELECT coalesce(sum(CASE WHEN id = ? THEN passages END), 0) AS kb, coalesce(sum(passages), 0) AS "all"
       FROM knowledge_bases`,
    )
    .get(kbId) as { kb: number; all: number };
}

/** How many passages each of these sections holds. */
export function childCounts(db: Db, parentIds: string[]): Map<string, number> {
  if (parentIds.length === 0) return new Map();
  const rows = db
    .statement(
      `SELECT parent_id AS id, count(*) AS n FROM chunks WHERE parent_id IN (${placeholders(parentIds.length)})
       GROUP BY parent_id`,
    )
    .all(...parentIds) as Array<{ id: string; n: number }>;
  return new Map(rows.map((r) => [r.id, r.n]));
}
