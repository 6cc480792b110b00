import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Db, tables } from '../db/index.ts';

const { documents } = tables;

export const ingestStages = ['parsing', 'ocr', 'summarizing', 'chunking', 'embedding', 'indexing'] as const;
export type IngestStage = (typeof ingestStages)[number];

/** Thrown when the document was deleted while it was being processed: nothing left to do. */
export class DocumentGoneError extends Error {
  constructor(documentId: string) {
    super(`Document ${documentId} no longer exists`);
    this.name = 'DocumentGoneError';
  }
}

/**
 * Claims a document for this run: queued or processing ones, and failed ones whose job was
 * retried from the queue. A completed document is left alone (a stale duplicate job).
 */
export function startProcessing(db: Db, documentId: string): boolean {
  const row = db.orm
    .update(documents)
    .set({
      status: 'processing',
      stage: 'parsing',
      progress: 2,
      error: null,
      attempts: sql`${documents.attempts} + 1`,
      updatedAt: Date.now(),
    })
    .where(and(eq(documents.id, documentId), inArray(documents.status, ['queued', 'processing', 'failed'])))
    .returning({ id: documents.id })
    .get();
  return row !== undefined;
}

/** One short write of stage and progress (0-100); throws DocumentGoneError if the row is gone. */
export function setProgress(db: Db, documentId: string, stage: IngestStage, progress: number): void {
  const row = db.orm
    .update(documents)
    .set({ stage, progress: Math.max(0, Math.min(99, Math.round(progress))), updatedAt: Date.now() })
    .where(eq(documents.id, documentId))
    .returning({ id: documents.id })
    .get();
  if (!row) throw new DocumentGoneError(documentId);
}

/** Ends a document in `failed` with a reason the user can read. */
export function markFailed(db: Db, documentId: string, error: string): void {
  db.orm
    .update(documents)
    .set({ status: 'failed', error: error.slice(0, 1000), updatedAt: Date.now() })
    .where(eq(documents.id, documentId))
    .run();
}

/** Records a failed attempt that will be retried; the document stays `processing`. */
export function noteRetry(db: Db, documentId: string, error: string): void {
  db.orm
    .update(documents)
    .set({ error: error.slice(0, 1000), updatedAt: Date.now() })
    .where(eq(documents.id, documentId))
    .run();
}
