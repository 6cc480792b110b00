import { inArray } from 'drizzle-orm';
import { tables } from '../db/index.ts';
import type { Deps } from '../deps.ts';

const PARALLEL = 8;

/**
 * Puts every document left `queued` or `processing` back on the queue. The documents table
 * is the source of truth, so a killed worker or a flushed Redis loses nothing; job ids are
 * document ids, so documents already queued are not queued twice.
 */
export async function reconcile(deps: Pick<Deps, 'db' | 'queue' | 'logger'>): Promise<number> {
  const rows = deps.db.orm
    .select({ id: tables.documents.id })
    .from(tables.documents)
    .where(inArray(tables.documents.status, ['queued', 'processing']))
    .all();
  // A few at a time: each check is a round trip, and Redis may be far away (scheme B).
  const pending = rows.map((r) => r.id);
  const lane = async () => {
    for (let id = pending.shift(); id !== undefined; id = pending.shift()) await deps.queue.retry(id);
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  if (rows.length > 0) deps.logger.info({ documents: rows.length }, 'reconciler re-enqueued unfinished documents');
  return rows.length;
}
