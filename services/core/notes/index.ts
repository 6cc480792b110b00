import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { type Db, tables } from '../db/index.ts';
import { notFound } from '../errors.ts';
import { getKb } from '../kbs/index.ts';

const { notes } = tables;

export type NoteRow = typeof notes.$inferSelect;

/** A note as the API shows it: whether it is shared, never the token itself. */
export interface Note {
  id: string;
  kbId: string;
  title: string;
  content: string;
  shared: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NoteInput {
  title: string;
  content?: string;
}

export const toNote = (row: NoteRow): Note => ({
  id: row.id,
  kbId: row.kbId,
  title: row.title,
  content: row.content,
  shared: row.shareToken !== null,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export function createNote(db: Db, userId: string, kbId: string, input: NoteInput): Note {
  getKb(db, userId, kbId);
  const row = db.orm
    .insert(notes)
    .values({ id: randomUUID(), userId, kbId, title: input.title.trim(), content: input.content ?? '' })
    .returning()
    .get();
  return toNote(row);
}

export function listNotes(db: Db, userId: string, kbId: string): Note[] {
  getKb(db, userId, kbId);
  return db.orm
    .select()
    .from(notes)
    .where(and(eq(notes.kbId, kbId), eq(notes.userId, userId)))
    .orderBy(desc(notes.updatedAt))
    .all()
    .map(toNote);
}

/** The user's note row; another user's note is indistinguishable from a missing one. */
export function getNoteRow(db: Db, userId: string, id: string): NoteRow {
  const row = db.orm
    .select()
    .from(notes)
    .where(and(eq(notes.id, id), eq(notes.userId, userId)))
    .get();
  if (!row) throw notFound('Note');
  return row;
}

export const getNote = (db: Db, userId: string, id: string): Note => toNote(getNoteRow(db, userId, id));

export function updateNote(db: Db, userId: string, id: string, patch: Partial<NoteInput>): Note {
  const row = db.orm
    .update(notes)
    .set({
      ...(patch.title !== undefined && { title: patch.title.trim() }),
      ...(patch.content !== undefined && { content: patch.content }),
      updatedAt: Date.now(),
    })
    .where(and(eq(notes.id, id), eq(notes.userId, userId)))
    .returning()
    .get();
  if (!row) throw notFound('Note');
  return toNote(row);
}

export function deleteNote(db: Db, userId: string, id: string): void {
  const row = db.orm
    .delete(notes)
    .where(and(eq(notes.id, id), eq(notes.userId, userId)))
    .returning({ id: notes.id })
    .get();
  if (!row) throw notFound('Note');
}

/** Shares the note and returns its token; sharing a shared note keeps the same link. */
export function shareNote(db: Db, userId: string, id: string): string {
  const row = getNoteRow(db, userId, id);
  if (row.shareToken) return row.shareToken;
  const token = randomBytes(24).toString('base64url');
  db.orm.update(notes).set({ shareToken: token }).where(eq(notes.id, row.id)).run();
  return token;
}

/** Revokes the share link; the old link answers 404 from then on. */
export function unshareNote(db: Db, userId: string, id: string): void {
  const row = getNoteRow(db, userId, id);
  db.orm.update(notes).set({ shareToken: null }).where(eq(notes.id, row.id)).run();
}

/** The note behind a share token, for the public read-only page. */
export function getSharedNote(db: Db, token: string): Note {
  if (!/^[\w-]{16,64}$/.test(token)) throw notFound('Note');
  const row = db.orm.select().from(notes).where(eq(notes.shareToken, token)).get();
  if (!row) throw notFound('Note');
  return toNote(row);
}
