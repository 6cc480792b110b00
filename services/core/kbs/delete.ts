import { kbAccess, type Principal } from '../access/index.ts';
import { deleteKbText } from '../db/chunk-index.ts';
import { writeTransaction } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { deleteKbDocuments } from '../documents/delete.ts';
import { deleteKbRow } from './index.ts';

/**
 * Deletes a KB (its owner only) and everything derived from it: vectors in every embedding
 * index, full-text rows, rows by cascade, then the stored files. Safe to repeat: a second call is a 404.
 */
export async function deleteKb(deps: Deps, who: Principal, kbId: string): Promise<void> {
  const kb = kbAccess(deps.db, who, kbId, 'manage');
  await deleteKbDocuments(deps, kb, () =>
    writeTransaction(deps.db, () => {
      deleteKbText(deps.db, kbId);
      deleteKbRow(deps.db, kbId);
    }),
  );
}
