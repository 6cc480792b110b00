import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { isRestrictedKey, type KbWithRole, kbAccess, type Principal, visibleKbs } from '../access/index.ts';
import { addOwner } from '../access/members.ts';
import { type Db, tables, writeTransaction } from '../db/index.ts';
import { forbidden, notFound } from '../errors.ts';

const { knowledgeBases } = tables;

export type { KnowledgeBase } from '../access/index.ts';

export interface KbInput {
  title: string;
  description?: string;
  chatModel?: string | null;
  /** Tesseract languages for scanned pages and images; `chi_sim+eng` unless set. */
  ocrLanguage?: string;
}

/**
 * Creates a KB owned by the caller, whose id also partitions the KB's files and vectors.
 * A limited API key cannot: it could not reach the new KB, and must not widen its holder's reach.
 */
export function createKb(db: Db, who: Principal, input: KbInput): KbWithRole {
  if (isRestrictedKey(who)) throw forbidden('A limited API key cannot create knowledge bases');
  const { userId } = who;
  return writeTransaction(db, () => {
    const kb = db.orm
      .insert(knowledgeBases)
      .values({
        id: randomUUID(),
        userId,
        title: input.title.trim(),
        description: input.description?.trim() ?? '',
        chatModel: input.chatModel ?? null,
        ...(input.ocrLanguage !== undefined && { ocrLanguage: input.ocrLanguage }),
      })
      .returning()
      .get();
    addOwner(db, kb.id, userId);
    return { ...kb, role: 'owner' as const };
  });
}

/** The KBs the caller is a member of (and their key reaches), each with the caller's role. */
export const listKbs = (db: Db, who: Principal): KbWithRole[] => visibleKbs(db, who);

/** A KB the caller may read; not a member is indistinguishable from a missing KB. */
export const getKb = (db: Db, who: Principal, kbId: string): KbWithRole => kbAccess(db, who, kbId, 'read');

/** Renames or changes a KB: its owner only. */
export function updateKb(db: Db, who: Principal, kbId: string, patch: Partial<KbInput>): KbWithRole {
  const { role } = kbAccess(db, who, kbId, 'manage');
  const kb = db.orm
    .update(knowledgeBases)
    .set({
      ...(patch.title !== undefined && { title: patch.title.trim() }),
      ...(patch.description !== undefined && { description: patch.description.trim() }),
      ...(patch.chatModel !== undefined && { chatModel: patch.chatModel }),
      ...(patch.ocrLanguage !== undefined && { ocrLanguage: patch.ocrLanguage }),
      updatedAt: Date.now(),
    })
    .where(eq(knowledgeBases.id, kbId))
    .returning()
    .get();
  if (!kb) throw notFound('Knowledge base');
  return { ...kb, role };
}

/**
 * Removes the KB row (documents, chunks, notes, chats and memberships cascade). Callers clean
 * files and vectors first and have checked the caller may manage the KB; see `deleteKb`.
 */
export function deleteKbRow(db: Db, kbId: string): void {
  const row = db.orm
    .delete(knowledgeBases)
    .where(eq(knowledgeBases.id, kbId))
    .returning({ id: knowledgeBases.id })
    .get();
  if (!row) throw notFound('Knowledge base');
}
