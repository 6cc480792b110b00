import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { type Db, tables } from '../db/index.ts';
import { notFound } from '../errors.ts';

const { knowledgeBases } = tables;

export type KnowledgeBase = typeof knowledgeBases.$inferSelect;

export interface KbInput {
  title: string;
  description?: string;
  chatModel?: string | null;
}

export function createKb(db: Db, userId: string, input: KbInput): KnowledgeBase {
  return db.orm
    .insert(knowledgeBases)
    .values({
      id: randomUUID(),
      userId,
      title: input.title.trim(),
      description: input.description?.trim() ?? '',
      chatModel: input.chatModel ?? null,
    })
    .returning()
    .get();
}

export function listKbs(db: Db, userId: string): KnowledgeBase[] {
  return db.orm
    .select()
    .from(knowledgeBases)
    .where(eq(knowledgeBases.userId, userId))
    .orderBy(desc(knowledgeBases.createdAt))
    .all();
}

/** The user's KB; another user's KB is indistinguishable from a missing one. */
export function getKb(db: Db, userId: string, kbId: string): KnowledgeBase {
  const kb = db.orm
    .select()
    .from(knowledgeBases)
    .where(and(eq(knowledgeBases.id, kbId), eq(knowledgeBases.userId, userId)))
    .get();
  if (!kb) throw notFound('Knowledge base');
  return kb;
}

export function updateKb(db: Db, userId: string, kbId: string, patch: Partial<KbInput>): KnowledgeBase {
  const kb = db.orm
    .update(knowledgeBases)
    .set({
      ...(patch.title !== undefined && { title: patch.title.trim() }),
      ...(patch.description !== undefined && { description: patch.description.trim() }),
      ...(patch.chatModel !== undefined && { chatModel: patch.chatModel }),
      updatedAt: Date.now(),
    })
    .where(and(eq(knowledgeBases.id, kbId), eq(knowledgeBases.userId, userId)))
    .returning()
    .get();
  if (!kb) throw notFound('Knowledge base');
  return kb;
}

/**
 * Removes the KB row (documents, chunks, notes and chats cascade). Callers that own
 * files and vectors clean those first; see `deleteKbEverywhere` in the deps layer.
 */
export function deleteKbRow(db: Db, userId: string, kbId: string): void {
  const row = db.orm
    .delete(knowledgeBases)
    .where(and(eq(knowledgeBases.id, kbId), eq(knowledgeBases.userId, userId)))
    .returning({ id: knowledgeBases.id })
    .get();
  if (!row) throw notFound('Knowledge base');
}
