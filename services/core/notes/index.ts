import { randomBytes, randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { type KbAction, kbAccess, type Principal } from '../access/index.ts';
import { type Db, tables } from '../db/index.ts';
import { notFound } from '../errors.ts';

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

/** Adds a note to a KB the caller may write to (editors and owners); the caller is its author. */
export function createNote(db: Db, who: Principal, kbId: string, input: NoteInput): Note {
  kbAccess(db, who, kbId, 'write');
  const row = db.orm
    .insert(notes)
    .values({ id: randomUUID(), userId: who.userId, kbId, title: input.title.trim(), content: input.content ?? '' })
    .returning()
    .get();
  return toNote(row);
}

/** Every note of a KB the caller may read, whoever wrote it. */
export function listNotes(db: Db, who: Principal, kbId: string): Note[] {
  kbAccess(db, who, kbId, 'read');
  return db.orm.select().from(notes).where(eq(notes.kbId, kbId)).orderBy(desc(notes.updatedAt)).all().map(toNote);
}

/** A note row when the caller's role on its KB allows `action`; a note of another KB is a 404. */
export function getNoteRow(db: Db, who: Principal, id: string, action: KbAction = 'read'): NoteRow {
  const row = db.orm.select().from(notes).where(eq(notes.id, id)).get();
  if (!row) throw notFound('Note');
  kbAccess(db, who, row.kbId, action, 'Note');
  return row;
}

export const getNote = (db: Db, who: Principal, id: string): Note => toNote(getNoteRow(db, who, id));

export function updateNote(db: Db, who: Principal, id: string, patch: Partial<NoteInput>): Note {
  getNoteRow(db, who, id, 'write');
  const row = db.orm
    .update(notes)
    .set({
      ...(patch.title !== undefined && { title: patch.title.trim() }),
      ...(patch.content !== undefined && { content: patch.content }),
      updatedAt: Date.now(),
    })
    .where(eq(notes.id, id))
    .returning()
    .get();
  if (!row) throw notFound('Note');
  return toNote(row);
}

export function deleteNote(db: Db, who: Principal, id: string): void {
  getNoteRow(db, who, id, 'write');
  db.orm.delete(notes).where(eq(notes.id, id)).run();
}

/** Shares the note and returns its token; sharing a shared note keeps the same link. */
export function shareNote(db: Db, who: Principal, id: string): string {
  const row = getNoteRow(db, who, id, 'write');
  if (row.shareToken) return row.shareToken;
  const token = randomBytes(24).toString('base64url');
  db.orm.update(notes).set({ shareToken: token }).where(eq(notes.id, row.id)).run();
  return token;
}

/** Revokes the share link; the old link answers 404 from then on. */
export function unshareNote(db: Db, who: Principal, id: string): void {
  const row = getNoteRow(db, who, id, 'write');
  db.orm.update(notes).set({ shareToken: null }).where(eq(notes.id, row.id)).run();
}

/** The note behind a share token, for the public read-only page. */
export function getSharedNote(db: Db, token: string): Note {
  if (!/^[\w-]{16,64}$/.test(token)) throw notFound('Note');
  const row = db.orm.select().from(notes).where(eq(notes.shareToken, token)).get();
  if (!row) throw notFound('Note');
  return toNote(row);
}
