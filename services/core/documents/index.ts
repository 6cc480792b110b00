import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type KbAction, type KbWithRole, kbAccess, type Principal } from '../access/index.ts';
import { type Db, tables } from '../db/index.ts';
import type { ChunkLayer, DocumentMetadata } from '../db/schema.ts';
import { notFound } from '../errors.ts';

const { documents, chunks } = tables;

/** `userId` is the partition of the document's KB (its creator), not necessarily who uploaded it. */
export type DocumentRow = typeof documents.$inferSelect;

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
  /** The web page a document was imported from, or null for an upload. */
  sourceUrl: string | null;
  /** Key/value facts set at upload or with PATCH, filterable in search. */
  metadata: DocumentMetadata;
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
  sourceUrl: d.sourceUrl,
  metadata: d.metadata,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  completedAt: d.completedAt,
});

/**
 * A document row and its KB, when the caller's role on that KB allows `action`. A document
 * of a KB the caller is not a member of is a 404, like a missing one.
 */
export function documentAccess(
  db: Db,
  who: Principal,
  documentId: string,
  action: KbAction,
): { doc: DocumentRow; kb: KbWithRole } {
  const doc = db.orm.select().from(documents).where(eq(documents.id, documentId)).get();
  if (!doc) throw notFound('Document');
  return { doc, kb: kbAccess(db, who, doc.kbId, action, 'Document') };
}

export const getDocument = (db: Db, who: Principal, documentId: string) =>
  toPublicDocument(documentAccess(db, who, documentId, 'read').doc);

/** Documents of a KB the caller may read, newest first. */
export function listDocuments(db: Db, who: Principal, kbId: string): PublicDocument[] {
  kbAccess(db, who, kbId, 'read');
  return db.orm
    .select()
    .from(documents)
    .where(eq(documents.kbId, kbId))
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
export function listChunks(db: Db, who: Principal, documentId: string, layer?: ChunkLayer): PublicChunk[] {
  documentAccess(db, who, documentId, 'read');
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
