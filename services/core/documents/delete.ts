import { and, eq } from 'drizzle-orm';
import { deleteDocumentChunks } from '../db/chunk-index.ts';
import { tables, writeTransaction } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { invalidateKb } from '../search/generation.ts';
import { getDocumentRow } from './index.ts';

type DeleteDeps = Pick<Deps, 'db' | 'storage' | 'vectors' | 'logger'>;

async function removeFile(deps: DeleteDeps, key: string): Promise<void> {
  try {
    await deps.storage.delete(key);
  } catch (err) {
    deps.logger.warn({ key, err: err instanceof Error ? err.message : String(err) }, 'could not delete a stored file');
  }
}

/** Deletes a document with its file, chunks, FTS rows and vectors. Another user's document is a 404. */
export async function deleteDocument(deps: DeleteDeps, userId: string, documentId: string): Promise<void> {
  const doc = getDocumentRow(deps.db, userId, documentId);
  await deps.vectors.deleteByDocument(userId, documentId);
  writeTransaction(deps.db, () => {
    deleteDocumentChunks(deps.db, documentId);
    deps.db.orm
      .delete(tables.documents)
      .where(and(eq(tables.documents.id, documentId), eq(tables.documents.userId, userId)))
      .run();
    invalidateKb(deps, doc.kbId);
  });
  await removeFile(deps, doc.storageKey);
}

/**
 * Removes what a KB's documents keep outside its rows (vectors and files); the KB delete
 * removes the rows. Returns the storage keys for the caller to delete after the rows.
 */
export async function purgeKbDocuments(deps: DeleteDeps, userId: string, kbId: string): Promise<() => Promise<void>> {
  const keys = deps.db.orm
    .select({ key: tables.documents.storageKey })
    .from(tables.documents)
    .where(and(eq(tables.documents.kbId, kbId), eq(tables.documents.userId, userId)))
    .all()
    .map((r) => r.key);
  await deps.vectors.deleteByKb(userId, kbId);
  return async () => {
    for (const key of keys) await removeFile(deps, key);
  };
}
