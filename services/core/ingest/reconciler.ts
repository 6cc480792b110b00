import { inArray } from 'drizzle-orm';
import { tables } from '../db/index.ts';
import type { Deps } from '../deps.ts';

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
  for (const { id } of rows) await deps.queue.retry(id);
  if (rows.length > 0) deps.logger.info({ documents: rows.length }, 'reconciler re-enqueued unfinished documents');
  return rows.length;
}
