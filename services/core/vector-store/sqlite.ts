import type { Sqlite } from '../db/index.ts';
import type { VectorFilter, VectorHit, VectorStore } from './index.ts';
import { inList, normalize, pointFilterSql, tableName, toScore } from './sqlite-sql.ts';

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

/**
 * Vectors in a sqlite-vec `vec0` table inside the main SQLite file, one table per model and
 * dimension. User, KB and layer are partition keys, so a search only reads its own partition;
 * document and parent are metadata columns filtered before distances are computed. A plain
 * `<table>_ids` table maps chunk ids to rowids and indexes parents and documents, so a
 * drill-down into one parent reads just that parent's vectors.
 */
export function createSqliteVectorStore(sqlite: Sqlite, opts: { model: string; dimension: number }): VectorStore {
  const { model, dimension } = opts;
  const table = tableName(model, dimension);
  const ids = `${table}_ids`;
  let ready = false;

  const ensure = () => {
    if (ready) return;
    sqlite.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS "${table}" USING vec0(
        user_id text partition key, kb_id text partition key, layer text partition key,
        document_id text, parent_id text,
        embedding float[${dimension}] distance_metric=l2, chunk_size=128
      );
      CREATE TABLE IF NOT EXISTS "${ids}" (
        rowid INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL, kb_id TEXT NOT NULL, layer TEXT NOT NULL,
        document_id TEXT NOT NULL, parent_id TEXT
      );
      DROP INDEX IF EXISTS "${ids}_parent";
      DROP INDEX IF EXISTS "${ids}_kb";
      CREATE INDEX IF NOT EXISTS "${ids}_scope_document" ON "${ids}" (user_id, kb_id, layer, document_id);
      CREATE INDEX IF NOT EXISTS "${ids}_scope_parent" ON "${ids}" (user_id, kb_id, layer, parent_id);
      CREATE INDEX IF NOT EXISTS "${ids}_document" ON "${ids}" (document_id);
    `);
    ready = true;
  };

  const removeRowids = (rowids: number[]) => {
    const delVec = sqlite.prepare(`DELETE FROM "${table}" WHERE rowid = ?`);
    const delId = sqlite.prepare(`DELETE FROM "${ids}" WHERE rowid = ?`);
    for (const rowid of rowids) {
      delVec.run(BigInt(rowid));
      delId.run(rowid);
    }
  };

  const scoreByLookup = (query: Float32Array, rows: IdRow[], limit: number): VectorHit[] => {
    const stmt = sqlite.prepare(`SELECT vec_distance_l2(embedding, ?) AS d FROM "${table}" WHERE rowid = ?`);
    const hits = rows.map((r) => {
      const { d } = stmt.get(query, BigInt(r.rowid)) as { d: number };
      return { id: r.chunk_id, score: toScore(d), documentId: r.document_id, parentId: r.parent_id };
    });
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  };

  const knn = (query: Float32Array, filter: VectorFilter, limit: number): VectorHit[] => {
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
         FROM (SELECT rowid, distance FROM "${table}" WHERE ${where.join(' AND ')}) v
         JOIN "${ids}" i ON i.rowid = v.rowid ORDER BY v.distance`,
      )
      .all(...params) as Array<Omit<IdRow, 'rowid'> & { distance: number }>;
    return rows.map((r) => ({
      id: r.chunk_id,
      score: toScore(r.distance),
      documentId: r.document_id,
      parentId: r.parent_id,
    }));
  };

  return {
    kind: 'sqlite-vec',
    model,
    dimension,
    async init() {
      ensure();
    },
    async upsert(points) {
      ensure();
      for (const p of points) {
        if (p.vector.length !== dimension) {
          throw new Error(`vector of length ${p.vector.length} given to a ${dimension}-dimension store`);
        }
      }
      const findId = sqlite.prepare(`SELECT rowid FROM "${ids}" WHERE chunk_id = ?`);
      const insId = sqlite.prepare(
        `INSERT INTO "${ids}" (chunk_id, user_id, kb_id, layer, document_id, parent_id) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const insVec = sqlite.prepare(
        `INSERT INTO "${table}" (rowid, user_id, kb_id, layer, document_id, parent_id, embedding)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      sqlite.transaction(() => {
        for (const p of points) {
          const existing = findId.get(p.id) as { rowid: number } | undefined;
          if (existing) removeRowids([existing.rowid]);
          const { lastInsertRowid } = insId.run(p.id, p.userId, p.kbId, p.layer, p.documentId, p.parentId);
          const rowid = BigInt(lastInsertRowid);
          insVec.run(rowid, p.userId, p.kbId, p.layer, p.documentId, p.parentId ?? '', normalize(p.vector));
        }
      })();
    },
    async search(vector, filter, limit) {
      ensure();
      if (limit <= 0 || filter.documentIds?.length === 0 || filter.parentIds?.length === 0) return [];
      if (vector.length !== dimension) throw new Error(`query of length ${vector.length}, store has ${dimension}`);
      const query = normalize(vector);
      if (filter.parentIds || filter.documentIds) {
        const { sql, params } = pointFilterSql(filter);
        const rows = sqlite
          .prepare(`SELECT rowid, chunk_id, document_id, parent_id FROM "${ids}" WHERE ${sql} LIMIT ?`)
          .all(...params, POINT_LOOKUP_LIMIT + 1) as IdRow[];
        if (rows.length <= POINT_LOOKUP_LIMIT) return scoreByLookup(query, rows, limit);
      }
      return knn(query, filter, limit);
    },
    async deleteByDocument(userId, documentId) {
      ensure();
      const rows = sqlite
        .prepare(`SELECT rowid FROM "${ids}" WHERE document_id = ? AND +user_id = ?`)
        .all(documentId, userId) as Array<{ rowid: number }>;
      sqlite.transaction(() => removeRowids(rows.map((r) => r.rowid)))();
    },
    async deleteByKb(userId, kbId) {
      ensure();
      const rows = sqlite
        .prepare(`SELECT rowid FROM "${ids}" WHERE kb_id = ? AND user_id = ?`)
        .all(kbId, userId) as Array<{ rowid: number }>;
      sqlite.transaction(() => removeRowids(rows.map((r) => r.rowid)))();
    },
    async count(filter = {}) {
      ensure();
      const { sql, params } = pointFilterSql(filter);
      return (sqlite.prepare(`SELECT count(*) AS n FROM "${ids}" WHERE ${sql}`).get(...params) as { n: number }).n;
    },
    async drop() {
      sqlite.exec(`DROP TABLE IF EXISTS "${table}"; DROP TABLE IF EXISTS "${ids}";`);
      ready = false;
    },
    async health() {
      try {
        const { v } = sqlite.prepare('SELECT vec_version() AS v').get() as { v: string };
        return { ok: true, detail: `sqlite-vec ${v}, table ${table}` };
      } catch (err) {
        return { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
    async close() {},
  };
}
