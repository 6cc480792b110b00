import { deleteKbText } from '../db/chunk-index.ts';
import { writeTransaction } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { purgeKbDocuments } from '../documents/delete.ts';
import { deleteKbRow, getKb } from './index.ts';

/**
 * Deletes a KB and everything derived from it: vectors, full-text rows, rows by cascade,
 * then the stored files. Safe to repeat: a second call is a 404.
 */
export async function deleteKb(deps: Deps, userId: string, kbId: string): Promise<void> {
  getKb(deps.db, userId, kbId);
  const removeFiles = await purgeKbDocuments(deps, userId, kbId);
  writeTransaction(deps.db, () => {
    deleteKbText(deps.db, kbId);
    deleteKbRow(deps.db, userId, kbId);
  });
  await removeFiles();
}
