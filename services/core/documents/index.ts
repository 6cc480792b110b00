import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type Db, tables } from '../db/index.ts';
import type { ChunkLayer } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { getKb } from '../kbs/index.ts';

const { documents, chunks } = tables;

type DocumentRow = typeof documents.$inferSelect;

/** A document as the API shows it: ingest state and counts, never storage internals. */
export interface PublicDocument {
  id: string;
  kbId: string;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  status: DocumentRow['status'];
  progress: number;
  stage: string | null;
  error: string | null;
  title: string | null;
  summary: string | null;
  parentCount: number;
  childCount: number;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

export const toPublicDocument = (d: DocumentRow): PublicDocument => ({
  id: d.id,
  kbId: d.kbId,
  fileName: d.fileName,
  mimeType: d.mimeType,
  size: d.size,
  sha256: d.sha256,
  status: d.status,
  progress: d.progress,
  stage: d.stage,
  error: d.error,
  title: d.title,
  summary: d.summary,
  parentCount: d.parentCount,
  childCount: d.childCount,
  attempts: d.attempts,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  completedAt: d.completedAt,
});

/** The user's document row; another user's document is a 404. */
export function getDocumentRow(db: Db, userId: string, documentId: string): DocumentRow {
  const row = db.orm
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.userId, userId)))
    .get();
  if (!row) throw notFound('Document');
  return row;
}

export const getDocument = (db: Db, userId: string, documentId: string) =>
  toPublicDocument(getDocumentRow(db, userId, documentId));

/** Documents of one of the user's KBs, newest first. */
export function listDocuments(db: Db, userId: string, kbId: string): PublicDocument[] {
  getKb(db, userId, kbId);
  return db.orm
    .select()
    .from(documents)
    .where(and(eq(documents.kbId, kbId), eq(documents.userId, userId)))
    .orderBy(desc(documents.createdAt))
    .all()
    .map(toPublicDocument);
}

export interface PublicChunk {
  id: string;
  layer: ChunkLayer;
  position: number;
  parentId: string | null;
  heading: string | null;
  page: number | null;
  content: string;
  tokenCount: number;
}

/** A document's chunks, summary first, then parents, then children, each in reading order. */
export function listChunks(db: Db, userId: string, documentId: string, layer?: ChunkLayer): PublicChunk[] {
  getDocumentRow(db, userId, documentId);
  const where = layer
    ? and(eq(chunks.documentId, documentId), eq(chunks.layer, layer))
    : eq(chunks.documentId, documentId);
  return db.orm
    .select({
      id: chunks.id,
      layer: chunks.layer,
      position: chunks.position,
      parentId: chunks.parentId,
      heading: chunks.heading,
      page: chunks.page,
      content: chunks.content,
      tokenCount: chunks.tokenCount,
    })
    .from(chunks)
    .where(where)
    .orderBy(sql`CASE ${chunks.layer} WHEN 'document' THEN 0 WHEN 'parent' THEN 1 ELSE 2 END`, asc(chunks.position))
    .all();
}
