import { and, eq } from 'drizzle-orm';
import { tables } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { getDocumentRow, type PublicDocument, toPublicDocument } from './index.ts';

/**
 * Queues a document to be ingested again from its stored file. Safe to repeat: the new
 * index replaces the old one, and a document already queued is not queued twice.
 */
export async function reprocessDocument(
  deps: Pick<Deps, 'db' | 'queue' | 'logger'>,
  userId: string,
  documentId: string,
): Promise<PublicDocument> {
  getDocumentRow(deps.db, userId, documentId);
  const row = deps.db.orm
    .update(tables.documents)
    .set({ status: 'queued', progress: 0, stage: null, error: null, updatedAt: Date.now() })
    .where(and(eq(tables.documents.id, documentId), eq(tables.documents.userId, userId)))
    .returning()
    .get();
  try {
    await deps.queue.retry(documentId);
  } catch (err) {
    deps.logger.warn(
      { documentId, err: err instanceof Error ? err.message : String(err) },
      'enqueue failed; the reconciler will queue the document',
    );
  }
  return toPublicDocument(row ?? getDocumentRow(deps.db, userId, documentId));
}
