import type { Db } from './index.ts';

/**
 * A version string for a KB's searchable content. It changes whenever a document is added,
 * completed, reprocessed or deleted (count and newest timestamps of its documents), and
 * whenever `invalidateKb` is called, so cached results never outlive the content they came from.
 */
export function kbGeneration(db: Db, kbId: string): string {
  const row = db.sqlite
    .prepare(
      `SELECT k.updated_at AS kb, count(d.id) AS n, max(d.updated_at) AS updated, max(d.completed_at) AS completed,
              sum(d.status = 'completed') AS ready
       FROM knowledge_bases k LEFT JOIN documents d ON d.kb_id = k.id WHERE k.id = ? GROUP BY k.id`,
    )
    .get(kbId) as { kb: number; n: number; updated: number | null; completed: number | null; ready: number | null };
  if (!row) return 'none';
  return [row.kb, row.n, row.updated ?? 0, row.completed ?? 0, row.ready ?? 0].join('.');
}

/**
 * Marks a KB's content as changed so cached search results for it are not served again,
 * in every process sharing the database. Call it when a document completes or is deleted.
 */
export function invalidateKb(db: Db, kbId: string): void {
  db.sqlite
    .prepare('UPDATE knowledge_bases SET updated_at = max(updated_at + 1, ?) WHERE id = ?')
    .run(Date.now(), kbId);
}
