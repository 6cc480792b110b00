import type { Sqlite } from '../db/index.ts';
import type { VectorFilter, VectorHit, VectorStore } from './index.ts';
import { inList, normalize, pointFilterSql, toScore } from './sqlite-sql.ts';
import { createSqliteVectorTable, type SqliteVectorTable } from './sqlite-table.ts';

/** Candidate sets up to this size are scored by direct lookups instead of a filtered scan. */
const POINT_LOOKUP_LIMIT = 1000;
/** sqlite-vec refuses larger k. */
const MAX_K = 4096;

interface IdRow {
  rowid: number;
  chunk_id: string;
  document_id: string;
  parent_id: string | null;
}

/** The exact search of a sqlite-vec table: what the approximate index falls back to and rescores with. */
export function exactSearch(sqlite: Sqlite, t: SqliteVectorTable) {
  /** sqlite-vec's exact KNN over the partition, the narrowing applied to its metadata columns. */
  const knn = (query: Float32Array, filter: VectorFilter, limit: number): VectorHit[] => {
    t.ensure();
    const where = ['embedding MATCH ?', 'k = ?', 'user_id = ?', 'kb_id = ?', 'layer = ?'];
    const params: unknown[] = [query, Math.min(limit, MAX_K), filter.userId, filter.kbId, filter.layer];
    for (const [column, values] of [
      ['document_id', filter.documentIds],
      ['parent_id', filter.parentIds],
    ] as const) {
      if (!values) continue;
      const list = inList(column, values);
      where.push(list.sql);
      params.push(...list.params);
    }
    const rows = sqlite
      .prepare(
        `SELECT i.chunk_id, i.document_id, i.parent_id, v.distance
         FROM (SELECT rowid, distance FROM "${t.table}" WHERE ${where.join(' AND ')}) v
         JOIN "${t.ids}" i ON i.rowid = v.rowid ORDER BY v.distance`,
      )
      .all(...params) as Array<Omit<IdRow, 'rowid'> & { distance: number }>;
    return rows.map((r) => ({
      id: r.chunk_id,
      score: toScore(r.distance),
      documentId: r.document_id,
      parentId: r.parent_id,
    }));
  };

  /** The rowids a narrowed filter leaves, when they are few enough to score one by one; else undefined. */
  const few = (filter: VectorFilter): number[] | undefined => {
    t.ensure();
    const { sql, params } = pointFilterSql(filter);
    const rows = sqlite
      .prepare(`SELECT rowid FROM "${t.ids}" WHERE ${sql} LIMIT ?`)
      .all(...params, POINT_LOOKUP_LIMIT + 1) as Array<{ rowid: number }>;
    return rows.length <= POINT_LOOKUP_LIMIT ? rows.map((r) => r.rowid) : undefined;
  };

  /** Exact top `limit` of a filter, for a unit-length query of the right dimension. */
  const search = (query: Float32Array, filter: VectorFilter, limit: number): VectorHit[] => {
    const rowids = filter.parentIds || filter.documentIds ? few(filter) : undefined;
    return rowids ? topHits(t.score(query, rowids), limit) : knn(query, filter, limit);
  };
  return { search, few, knn };
}

/** The best `limit` hits, rowids dropped. */
export function topHits(hits: VectorHit[], limit: number): VectorHit[] {
  return hits
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((h) => ({ id: h.id, score: h.score, documentId: h.documentId, parentId: h.parentId }));
}

/** Rejects a query of the wrong length and answers whether a search can find anything at all. */
export function checkQuery(dimension: number, vector: Float32Array, filter: VectorFilter, limit: number): boolean {
  if (limit <= 0 || filter.documentIds?.length === 0 || filter.parentIds?.length === 0) return false;
  if (vector.length !== dimension) throw new Error(`query of length ${vector.length}, store has ${dimension}`);
  return true;
}

/** The shared parts of both embedded stores: writes, deletes, counts and health of the table. */
export function tableOperations(sqlite: Sqlite, t: SqliteVectorTable) {
  const deleteWhere = (sql: string, ...params: string[]) => {
    t.ensure();
    const rows = sqlite.prepare(`SELECT rowid FROM "${t.ids}" WHERE ${sql}`).all(...params) as Array<{
      rowid: number;
    }>;
    sqlite.transaction(() => t.removeRowids(rows.map((r) => r.rowid)))();
  };
  return {
    async init() {
      t.ensure();
    },
    async upsert(points: Parameters<VectorStore['upsert']>[0]) {
      t.upsert(points);
    },
    async deleteByDocument(userId: string, documentId: string) {
      deleteWhere('document_id = ? AND +user_id = ?', documentId, userId);
    },
    async deleteByKb(userId: string, kbId: string) {
      deleteWhere('kb_id = ? AND user_id = ?', kbId, userId);
    },
    async drop() {
      t.drop();
    },
    async count(filter: Partial<VectorFilter> = {}) {
      t.ensure();
      const { sql, params } = pointFilterSql(filter);
      return (sqlite.prepare(`SELECT count(*) AS n FROM "${t.ids}" WHERE ${sql}`).get(...params) as { n: number }).n;
    },
  };
}

/** sqlite-vec's version, or why it cannot be read. */
export function sqliteVecHealth(sqlite: Sqlite, detail: string): { ok: boolean; detail: string } {
  try {
    const { v } = sqlite.prepare('SELECT vec_version() AS v').get() as { v: string };
    return { ok: true, detail: `sqlite-vec ${v}, ${detail}` };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Vectors in a sqlite-vec `vec0` table inside the main SQLite file, one table per model and
 * dimension, searched exactly. User, KB and layer are partition keys, so a search only reads
 * its own partition; document and parent are metadata columns filtered before distances are
 * computed, and a small candidate set (one parent's passages) is scored by direct lookups.
 */
export function createSqliteVectorStore(sqlite: Sqlite, opts: { model: string; dimension: number }): VectorStore {
  const { model, dimension } = opts;
  const t = createSqliteVectorTable(sqlite, opts);
  const exact = exactSearch(sqlite, t);
  return {
    kind: 'sqlite-vec',
    model,
    dimension,
    ...tableOperations(sqlite, t),
    fastWideSearch: () => false,
    async prepare() {},
    async search(vector, filter, limit) {
      if (!checkQuery(dimension, vector, filter, limit)) return [];
      return exact.search(normalize(vector), filter, limit);
    },
    async health() {
      return sqliteVecHealth(sqlite, `table ${t.table}, exact scan`);
    },
    async close() {},
  };
}
