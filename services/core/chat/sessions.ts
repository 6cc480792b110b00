import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import { type Db, tables, writeTransaction } from '../db/index.ts';
import { notFound } from '../errors.ts';
import { getKb } from '../kbs/index.ts';
import type { Citation, StoredMessage } from './types.ts';

const { chatSessions, chatMessages } = tables;

export type ChatSession = typeof chatSessions.$inferSelect;

export const DEFAULT_TITLE = 'New chat';

export function createSession(
  db: Db,
  userId: string,
  input: { kbId: string; title?: string; model?: string | null },
): ChatSession {
  getKb(db, userId, input.kbId);
  return db.orm
    .insert(chatSessions)
    .values({
      id: randomUUID(),
      userId,
      kbId: input.kbId,
      title: input.title?.trim() || DEFAULT_TITLE,
      model: input.model ?? null,
    })
    .returning()
    .get();
}

export function listSessions(db: Db, userId: string, kbId?: string): ChatSession[] {
  if (kbId) getKb(db, userId, kbId);
  const mine = eq(chatSessions.userId, userId);
  return db.orm
    .select()
    .from(chatSessions)
    .where(kbId ? and(mine, eq(chatSessions.kbId, kbId)) : mine)
    .orderBy(desc(chatSessions.updatedAt))
    .all();
}

/** The user's session; another user's session is indistinguishable from a missing one. */
export function getSession(db: Db, userId: string, id: string): ChatSession {
  const row = db.orm
    .select()
    .from(chatSessions)
    .where(and(eq(chatSessions.id, id), eq(chatSessions.userId, userId)))
    .get();
  if (!row) throw notFound('Chat session');
  return row;
}

export function updateSession(
  db: Db,
  userId: string,
  id: string,
  patch: { title?: string; model?: string | null },
): ChatSession {
  const row = db.orm
    .update(chatSessions)
    .set({
      ...(patch.title !== undefined && { title: patch.title.trim() }),
      ...(patch.model !== undefined && { model: patch.model }),
      updatedAt: Date.now(),
    })
    .where(and(eq(chatSessions.id, id), eq(chatSessions.userId, userId)))
    .returning()
    .get();
  if (!row) throw notFound('Chat session');
  return row;
}

export function deleteSession(db: Db, userId: string, id: string): void {
  const row = db.orm
    .delete(chatSessions)
    .where(and(eq(chatSessions.id, id), eq(chatSessions.userId, userId)))
    .returning({ id: chatSessions.id })
    .get();
  if (!row) throw notFound('Chat session');
}

const toStored = (row: typeof chatMessages.$inferSelect): StoredMessage => ({
  id: row.id,
  sessionId: row.sessionId,
  role: row.role,
  content: row.content,
  citations: (row.citations ?? []) as Citation[],
  model: row.model,
  createdAt: row.createdAt,
});

export function listMessages(db: Db, userId: string, sessionId: string): StoredMessage[] {
  getSession(db, userId, sessionId);
  return db.orm
    .select()
    .from(chatMessages)
    .where(and(eq(chatMessages.sessionId, sessionId), eq(chatMessages.userId, userId)))
    .orderBy(asc(chatMessages.createdAt))
    .all()
    .map(toStored);
}

/**
 * Stores a question and its answer together, so a failed answer leaves no dangling question;
 * a session still titled "New chat" takes its title from the first question.
 */
export function storeExchange(
  db: Db,
  session: ChatSession,
  question: { content: string; at: number },
  answer: { content: string; citations: Citation[]; model: string | null },
): { question: StoredMessage; answer: StoredMessage } {
  return writeTransaction(db, () => {
    const base = { sessionId: session.id, userId: session.userId };
    const q = db.orm
      .insert(chatMessages)
      .values({ ...base, id: randomUUID(), role: 'user', content: question.content, createdAt: question.at })
      .returning()
      .get();
    const a = db.orm
      .insert(chatMessages)
      .values({
        ...base,
        id: randomUUID(),
        role: 'assistant',
        content: answer.content,
        citations: answer.citations,
        model: answer.model,
        createdAt: Math.max(Date.now(), question.at + 1),
      })
      .returning()
      .get();
    const title =
      session.title === DEFAULT_TITLE ? question.content.replace(/\s+/g, ' ').trim().slice(0, 80) : undefined;
    db.orm
      .update(chatSessions)
      .set({ updatedAt: Date.now(), ...(title && { title }) })
      .where(eq(chatSessions.id, session.id))
      .run();
    return { question: toStored(q), answer: toStored(a) };
  });
}
