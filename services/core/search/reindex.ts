import type { ChunkLayer } from '../db/schema.ts';
import type { Deps, ReadinessCheck } from '../deps.ts';
import type { Embedder } from '../embedder/index.ts';
import { embeddingText } from '../ingest/embedding-text.ts';
import type { VectorStore } from '../vector-store/index.ts';

/** A build whose heartbeat is older than this is taken over by another process. */
const STALE_MS = 60_000;
const BATCH = 128;

export interface IndexStatus {
  model: string;
  dimension: number;
  state: 'building' | 'active' | 'retired';
  /** 0 to 1. */
  progress: number;
  updatedAt: number;
}

/** Every embedding index and how far its build has come, newest first. */
export function reindexStatus(deps: Pick<Deps, 'db'>): IndexStatus[] {
  return deps.db.sqlite
    .prepare(
      `SELECT model, dimension, state, progress, updated_at AS updatedAt FROM embedding_indexes ORDER BY created_at DESC`,
    )
    .all() as IndexStatus[];
}

/** A process that found the build taken waits this long before checking again. */
const RETRY_MS = 30_000;
/** A /readyz line for the embedding indexes: the active model and any build with its progress. */
export function indexReadiness(deps: Pick<Deps, 'db'>): ReadinessCheck {
  return {
    name: 'embedding-index',
    required: false,
    async check() {
      const rows = reindexStatus(deps)
        .filter((s) => s.state !== 'retired')
        .sort((a, b) => Number(b.state === 'active') - Number(a.state === 'active'));
      const detail = rows
        .map((s) =>
          s.state === 'active' ? `active ${s.model}` : `building ${s.model} ${Math.round(s.progress * 100)}%`,
        )
        .join(', ');
      return { ok: true, detail: detail || 'none yet' };
    },
  };
}

const running = new WeakMap<Deps, { run: Promise<boolean>; startedAt: number; settled: boolean }>();

/**
 * Starts filling the configured model's store from the chunk text when another model is
 * active, once per process; returns the run (true when this call switched the index).
 * Searches keep using the active model until every chunk is embedded, then switch at once.
 */
export function startReindex(deps: Deps): Promise<boolean> {
  const seen = running.get(deps);
  if (seen && (!seen.settled || Date.now() - seen.startedAt < RETRY_MS)) return seen.run;
  const entry = { run: Promise.resolve(false), startedAt: Date.now(), settled: false };
  entry.run = reindex(deps, deps.embedder, deps.vectors)
    .catch((err: unknown) => {
      deps.logger.error({ err: err instanceof Error ? err.message : String(err) }, 're-embedding failed');
      return false;
    })
    .finally(() => {
      entry.settled = true;
    });
  running.set(deps, entry);
  return entry.run;
}

async function reindex(deps: Deps, embedder: Embedder, store: VectorStore): Promise<boolean> {
  const { sqlite } = deps.db;
  const active = sqlite.prepare(`SELECT model, dimension FROM embedding_indexes WHERE state = 'active'`).get() as
    | { model: string; dimension: number }
    | undefined;
  const dimension = embedder.dimension || (await embedder.embed(['dimension probe']))[0].length;
  if (active?.model === embedder.model && active.dimension === dimension) return false;
  if (!active) {
    const { changes } = sqlite
      .prepare(`INSERT OR IGNORE INTO embedding_indexes (model, dimension, state, progress) VALUES (?, ?, 'active', 1)`)
      .run(embedder.model, dimension);
    if (changes > 0) return false;
  }
  if (!claim(deps, embedder.model, dimension)) return false;
  await store.init();
  const total = (sqlite.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
  const log = deps.logger.child({ component: 'reindex', from: active?.model, to: embedder.model });
  log.info({ total }, 're-embedding every chunk for a new embedding model');
  const page = sqlite.prepare(
    `SELECT rowid, id, user_id, kb_id, document_id, parent_id, layer, heading, content FROM chunks WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  const beat = sqlite.prepare(`UPDATE embedding_indexes SET progress = ?, updated_at = ? WHERE model = ?`);
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = page.all(after, BATCH) as ChunkRow[];
    if (rows.length === 0) break;
    const vectors = await embedder.embed(rows.map(embeddingText));
    await store.upsert(
      rows.map((r, i) => ({
        id: r.id,
        vector: vectors[i],
        userId: r.user_id,
        kbId: r.kb_id,
        documentId: r.document_id,
        parentId: r.parent_id,
        layer: r.layer,
      })),
    );
    after = rows[rows.length - 1].rowid;
    done += rows.length;
    beat.run(Math.min(0.99, done / Math.max(total, 1)), Date.now(), embedder.model);
    log.info({ done, total }, 're-embedding progress');
  }
  sqlite.transaction(() => {
    sqlite
      .prepare(`UPDATE embedding_indexes SET state = 'retired', updated_at = ? WHERE state = 'active'`)
      .run(Date.now());
    sqlite
      .prepare(`UPDATE embedding_indexes SET state = 'active', progress = 1, updated_at = ? WHERE model = ?`)
      .run(Date.now(), embedder.model);
  })();
  log.info({ done }, 'search switched to the new embedding model');
  return true;
}

interface ChunkRow {
  rowid: number;
  id: string;
  user_id: string;
  kb_id: string;
  document_id: string;
  parent_id: string | null;
  layer: ChunkLayer;
  heading: string | null;
  content: string;
}

/** Takes the build for this model unless another process is building it right now. */
function claim(deps: Deps, model: string, dimension: number): boolean {
  const { sqlite } = deps.db;
  return sqlite
    .transaction(() => {
      const row = sqlite
        .prepare('SELECT state, updated_at AS updatedAt FROM embedding_indexes WHERE model = ?')
        .get(model) as { state: string; updatedAt: number } | undefined;
      const now = Date.now();
      if (row?.state === 'building' && now - row.updatedAt < STALE_MS) return false;
      sqlite
        .prepare(
          `INSERT INTO embedding_indexes (model, dimension, state, progress, updated_at) VALUES (?, ?, 'building', 0, ?)
         ON CONFLICT (model) DO UPDATE SET dimension = excluded.dimension, state = 'building', progress = 0, updated_at = excluded.updated_at`,
        )
        .run(model, dimension, now);
      return true;
    })
    .immediate();
}
