import { eq } from 'drizzle-orm';
import type { KnowledgeBase, Principal } from '../access/index.ts';
import { deleteDocumentChunks } from '../db/chunk-index.ts';
import { tables, writeTransaction } from '../db/index.ts';
import { invalidateKb } from '../db/kb-generation.ts';
import type { Deps } from '../deps.ts';
import { documentAccess } from './index.ts';

type DeleteDeps = Pick<Deps, 'db' | 'storage' | 'embeddingIndex' | 'logger'>;

async function removeFiles(deps: DeleteDeps, keys: string[]): Promise<void> {
  for (const key of keys) {
    try {
      await deps.storage.delete(key);
    } catch (err) {
      deps.logger.warn(
        { key, err: err instanceof Error ? err.message : String(err) },
        'could not delete a stored file',
      );
    }
  }
}

/**
 * Deletes a document with its file, chunks, FTS rows and its vectors in every embedding index;
 * editors and owners only.
 */
export async function deleteDocument(deps: DeleteDeps, who: Principal, documentId: string): Promise<void> {
  const { doc } = documentAccess(deps.db, who, documentId, 'write');
  await deps.embeddingIndex.remove({ userId: doc.userId, documentId }, () =>
    writeTransaction(deps.db, () => {
      deleteDocumentChunks(deps.db, documentId);
      deps.db.orm.delete(tables.documents).where(eq(tables.documents.id, documentId)).run();
      invalidateKb(deps.db, doc.kbId);
    }),
  );
  await removeFiles(deps, [doc.storageKey]);
}

/**
 * Deletes what a KB's documents keep: their vectors in every embedding index, the rows through
 * `removeRows` (the KB's delete, its documents going by cascade), then their stored files.
 */
export async function deleteKbDocuments(
  deps: DeleteDeps,
  kb: Pick<KnowledgeBase, 'id' | 'userId'>,
  removeRows: () => void,
): Promise<void> {
  const keys = deps.db.orm
    .select({ key: tables.documents.storageKey })
    .from(tables.documents)
    .where(eq(tables.documents.kbId, kb.id))
    .all()
    .map((r) => r.key);
  await deps.embeddingIndex.remove({ userId: kb.userId, kbId: kb.id }, removeRows);
  await removeFiles(deps, keys);
}
