import { eq } from 'drizzle-orm';
import type { Principal } from '../access/index.ts';
import { tables } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { documentAccess, type PublicDocument, toPublicDocument } from './index.ts';

type RequeueDeps = Pick<Deps, 'db' | 'queue' | 'logger'>;

/**
 * Queues a document to be ingested again from its stored file, with no access check: for
 * administrators' retries. Safe to repeat: the new index replaces the old one, and a
 * document already queued is not queued twice.
 */
export async function requeueDocument(deps: RequeueDeps, documentId: string): Promise<PublicDocument> {
  const row = deps.db.orm
    .update(tables.documents)
    .set({ status: 'queued', progress: 0, stage: null, error: null, updatedAt: Date.now() })
    .where(eq(tables.documents.id, documentId))
    .returning()
    .get();
  if (!row) throw notFound('Document');
  try {
    await deps.queue.retry(documentId);
  } catch (err) {
    deps.logger.warn(
      { documentId, err: err instanceof Error ? err.message : String(err) },
      'enqueue failed; the reconciler will queue the document',
    );
  }
  return toPublicDocument(row);
}

/** Reprocesses a document of a KB the caller may write to (editors and owners). */
export async function reprocessDocument(
  deps: RequeueDeps,
  who: Principal,
  documentId: string,
): Promise<PublicDocument> {
  documentAccess(deps.db, who, documentId, 'write');
  return requeueDocument(deps, documentId);
}
