import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { kbAccess, type Principal, visibleKbs } from '../access/index.ts';
import { type Db, tables, writeTransaction } from '../db/index.ts';
import { notFound } from '../errors.ts';
import type { Citation, StoredMessage } from './types.ts';

const { chatSessions, chatMessages } = tables;

export type ChatSession = typeof chatSessions.$inferSelect;

export const DEFAULT_TITLE = 'New chat';

/** Opens a conversation over a KB the caller may read; it stays private to the caller. */
export function createSession(
  db: Db,
  who: Principal,
  input: { kbId: string; title?: string; model?: string | null },
): ChatSession {
  kbAccess(db, who, input.kbId, 'read');
  return db.orm
    .insert(chatSessions)
    .values({
      id: randomUUID(),
      userId: who.userId,
      kbId: input.kbId,
      title: input.title?.trim() || DEFAULT_TITLE,
      model: input.model ?? null,
    })
    .returning()
    .get();
}

/** The caller's own conversations, in one KB or in every KB they can still read. */
export function listSessions(db: Db, who: Principal, kbId?: string): ChatSession[] {
  const kbIds = kbId ? [kbAccess(db, who, kbId, 'read').id] : visibleKbs(db, who).map((kb) => kb.id);
  if (kbIds.length === 0) return [];
  return db.orm
    .select()
    .from(chatSessions)
    .where(and(eq(chatSessions.userId, who.userId), inArray(chatSessions.kbId, kbIds)))
    .orderBy(desc(chatSessions.updatedAt))
    .all();
}

/**
 * The caller's own session, while they can still read its KB; another user's session, or
 * one in a KB the caller was removed from, is indistinguishable from a missing one.
 */
export function getSession(db: Db, who: Principal, id: string): ChatSession {
  const row = db.orm
    .select()
    .from(chatSessions)
    .where(and(eq(chatSessions.id, id), eq(chatSessions.userId, who.userId)))
    .get();
  if (!row) throw notFound('Chat session');
  kbAccess(db, who, row.kbId, 'read', 'Chat session');
  return row;
}

export function updateSession(
  db: Db,
  who: Principal,
  id: string,
  patch: { title?: string; model?: string | null },
): ChatSession {
  getSession(db, who, id);
  const row = db.orm
    .update(chatSessions)
    .set({
      ...(patch.title !== undefined && { title: patch.title.trim() }),
      ...(patch.model !== undefined && { model: patch.model }),
      updatedAt: Date.now(),
    })
    .where(eq(chatSessions.id, id))
    .returning()
    .get();
  if (!row) throw notFound('Chat session');
  return row;
}

export function deleteSession(db: Db, who: Principal, id: string): void {
  getSession(db, who, id);
  db.orm.delete(chatSessions).where(eq(chatSessions.id, id)).run();
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

export function listMessages(db: Db, who: Principal, sessionId: string): StoredMessage[] {
  getSession(db, who, sessionId);
  return db.orm
    .select()
    .from(chatMessages)
    .where(and(eq(chatMessages.sessionId, sessionId), eq(chatMessages.userId, who.userId)))
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
