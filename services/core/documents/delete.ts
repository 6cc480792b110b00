import { eq } from 'drizzle-orm';
import type { KnowledgeBase, Principal } from '../access/index.ts';
import { deleteDocumentChunks } from '../db/chunk-index.ts';
import { tables, writeTransaction } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { invalidateKb } from '../search/generation.ts';
import { documentAccess } from './index.ts';

type DeleteDeps = Pick<Deps, 'db' | 'storage' | 'vectors' | 'logger'>;

async function removeFile(deps: DeleteDeps, key: string): Promise<void> {
  try {
    await deps.storage.delete(key);
  } catch (err) {
    deps.logger.warn({ key, err: err instanceof Error ? err.message : String(err) }, 'could not delete a stored file');
  }
}

/** Deletes a document with its file, chunks, FTS rows and vectors; editors and owners only. */
export async function deleteDocument(deps: DeleteDeps, who: Principal, documentId: string): Promise<void> {
  const { doc } = documentAccess(deps.db, who, documentId, 'write');
  await deps.vectors.deleteByDocument(doc.userId, documentId);
  writeTransaction(deps.db, () => {
    deleteDocumentChunks(deps.db, documentId);
    deps.db.orm.delete(tables.documents).where(eq(tables.documents.id, documentId)).run();
    invalidateKb(deps, doc.kbId);
  });
  await removeFile(deps, doc.storageKey);
}

/**
 * Removes what a KB's documents keep outside its rows (vectors and files); the KB delete
 * removes the rows. Returns the storage keys for the caller to delete after the rows.
 */
export async function purgeKbDocuments(
  deps: DeleteDeps,
  kb: Pick<KnowledgeBase, 'id' | 'userId'>,
): Promise<() => Promise<void>> {
  const keys = deps.db.orm
    .select({ key: tables.documents.storageKey })
    .from(tables.documents)
    .where(eq(tables.documents.kbId, kb.id))
    .all()
    .map((r) => r.key);
  await deps.vectors.deleteByKb(kb.userId, kb.id);
  return async () => {
    for (const key of keys) await removeFile(deps, key);
  };
}
