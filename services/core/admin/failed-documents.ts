import { desc, eq } from 'drizzle-orm';
import { type Db, tables } from '../db/index.ts';

const { documents } = tables;

/** A document whose ingest failed, as administrators see it (any user's). */
export interface FailedDocument {
  id: string;
  userId: string;
  kbId: string;
  fileName: string;
  error: string | null;
  attempts: number;
  updatedAt: number;
}

/** The most recently failed documents across the installation, newest first. */
export function listFailedDocuments(db: Db, limit = 50): FailedDocument[] {
  return db.orm
    .select({
      id: documents.id,
      userId: documents.userId,
      kbId: documents.kbId,
      fileName: documents.fileName,
      error: documents.error,
      attempts: documents.attempts,
      updatedAt: documents.updatedAt,
    })
    .from(documents)
    .where(eq(documents.status, 'failed'))
    .orderBy(desc(documents.updatedAt))
    .limit(limit)
    .all();
}
