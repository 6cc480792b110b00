import type { Db } from './index.ts';

/**
 * The owner of `embedding_indexes`: one row per embedding model whose vectors exist, `active`
 * (the one searches read; at most one), `building` (being filled from the chunk text) or
 * `retired` (replaced by a newer model; its store is dropped, then its row deleted).
 */

export type IndexState = 'building' | 'active' | 'retired';

/** An embedding model and dimension: what names a vector store. */
export interface IndexKey {
  model: string;
  dimension: number;
}

export interface IndexRow extends IndexKey {
  state: IndexState;
  /** 0 to 1. */
  progress: number;
  updatedAt: number;
}

/** Every embedding index, newest first. */
export function listEmbeddingIndexes(db: Db): IndexRow[] {
  return db.sqlite
    .prepare(
      `SELECT model, dimension, state, progress, updated_at AS updatedAt FROM embedding_indexes ORDER BY created_at DESC`,
    )
    .all() as IndexRow[];
}

/** The index searches read, if any has been recorded yet. */
export function activeEmbeddingIndex(db: Db): IndexKey | undefined {
  return db.sqlite.prepare(`SELECT model, dimension FROM embedding_indexes WHERE state = 'active'`).get() as
    | IndexKey
    | undefined;
}

/** The dimension last recorded for a model. */
export function recordedDimension(db: Db, model: string): number | undefined {
  const row = db.sqlite.prepare('SELECT dimension FROM embedding_indexes WHERE model = ?').get(model) as
    | { dimension: number }
    | undefined;
  return row?.dimension;
}

/**
 * Records the first index of an installation as active (vectors are written to it from the
 * start, so there is nothing to build). False when a row for the model already exists.
 */
export function recordFirstIndex(db: Db, key: IndexKey): boolean {
  const { changes } = db.sqlite
    .prepare(`INSERT OR IGNORE INTO embedding_indexes (model, dimension, state, progress) VALUES (?, ?, 'active', 1)`)
    .run(key.model, key.dimension);
  return changes > 0;
}

export type BuildClaim =
  | { claimed: false }
  /** `replaced` is the model's previous row when it had another dimension: its store is now unused. */
  | { claimed: true; replaced?: IndexKey };

/**
 * Takes the build of `key` for this process unless another one has beaten its heartbeat
 * within `staleMs`. The row restarts at progress 0 in state `building`.
 */
export function claimIndexBuild(db: Db, key: IndexKey, staleMs: number): BuildClaim {
  const { sqlite } = db;
  return sqlite
    .transaction((): BuildClaim => {
      const row = sqlite
        .prepare('SELECT dimension, state, updated_at AS updatedAt FROM embedding_indexes WHERE model = ?')
        .get(key.model) as { dimension: number; state: IndexState; updatedAt: number } | undefined;
      const now = Date.now();
      if (row?.state === 'building' && now - row.updatedAt < staleMs) return { claimed: false };
      sqlite
        .prepare(
          `INSERT INTO embedding_indexes (model, dimension, state, progress, updated_at) VALUES (?, ?, 'building', 0, ?)
           ON CONFLICT (model) DO UPDATE SET dimension = excluded.dimension, state = 'building', progress = 0,
             updated_at = excluded.updated_at`,
        )
        .run(key.model, key.dimension, now);
      const replaced =
        row && row.dimension !== key.dimension ? { model: key.model, dimension: row.dimension } : undefined;
      return { claimed: true, replaced };
    })
    .immediate();
}

/** The heartbeat of a build: its progress (0 to 1) and the time. */
export function recordBuildProgress(db: Db, model: string, progress: number): void {
  db.sqlite
    .prepare(`UPDATE embedding_indexes SET progress = ?, updated_at = ? WHERE model = ? AND state = 'building'`)
    .run(progress, Date.now(), model);
}

/**
 * Makes a finished build the active index in one transaction; the index it replaces becomes
 * retired. False, changing nothing, when the row is no longer this build (another process
 * took it over).
 */
export function activateIndex(db: Db, key: IndexKey): boolean {
  const { sqlite } = db;
  return sqlite
    .transaction(() => {
      const now = Date.now();
      const mine = sqlite
        .prepare(`SELECT 1 FROM embedding_indexes WHERE model = ? AND dimension = ? AND state = 'building'`)
        .get(key.model, key.dimension);
      if (!mine) return false;
      sqlite.prepare(`UPDATE embedding_indexes SET state = 'retired', updated_at = ? WHERE state = 'active'`).run(now);
      sqlite
        .prepare(`UPDATE embedding_indexes SET state = 'active', progress = 1, updated_at = ? WHERE model = ?`)
        .run(now, key.model);
      return true;
    })
    .immediate();
}

/** Forgets a retired index once its store is dropped. */
export function forgetRetiredIndex(db: Db, key: IndexKey): void {
  db.sqlite
    .prepare(`DELETE FROM embedding_indexes WHERE model = ? AND dimension = ? AND state = 'retired'`)
    .run(key.model, key.dimension);
}
