import { randomUUID } from 'node:crypto';
import { kbAccess, type Principal } from '../access/index.ts';
import { type Db, tables } from '../db/index.ts';
import type { DocumentMetadata } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { detectFileKind } from '../ingest/parsers/detect.ts';
import { mimeTypes } from '../ingest/parsers/types.ts';
import { type DocumentRow, type PublicDocument, toPublicDocument } from './index.ts';

export interface Upload {
  fileName: string;
  bytes: Uint8Array;
  /** Checked by `checkMetadata` at the edge. */
  metadata?: DocumentMetadata;
}

/** A display name without any path, control characters or excess length; never `.` or `..`. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(-200);
  return cleaned && !/^\.+$/.test(cleaned) ? cleaned : 'untitled';
}

/**
 * Accepts an upload into a KB the caller may write to: checks size (413), emptiness (400) and type by content and name (415),
 * stores the file atomically with its sha256, writes the `queued` row and enqueues it.
 * The row is the source of truth: if enqueueing fails, the reconciler queues it later.
 */
export async function createDocument(
  deps: Pick<Deps, 'db' | 'storage' | 'queue' | 'config' | 'logger'>,
  who: Principal,
  kbId: string,
  upload: Upload,
): Promise<PublicDocument> {
  // The KB's partition, not the uploader: a shared KB keeps all its files and vectors in one place.
  const { userId } = kbAccess(deps.db, who, kbId, 'write');
  const limit = deps.config.MAX_UPLOAD_MB * 1024 * 1024;
  if (upload.bytes.byteLength > limit) {
    throw new AppError('payload_too_large', `The file is larger than ${deps.config.MAX_UPLOAD_MB} MB`);
  }
  if (upload.bytes.byteLength === 0) throw new AppError('bad_request', 'The file is empty');
  const fileName = cleanFileName(upload.fileName);
  const kind = detectFileKind(fileName, upload.bytes);
  const id = randomUUID();
  const stored = await deps.storage.put(`${userId}/${id}/${fileName}`, upload.bytes);
  try {
    return await insertAndEnqueue(deps, {
      id,
      userId,
      kbId,
      fileName,
      mimeType: mimeTypes[kind],
      size: stored.size,
      sha256: stored.sha256,
      storageKey: stored.key,
      metadata: upload.metadata ?? {},
    });
  } catch (err) {
    // The KB was deleted meanwhile, or the database refused: leave no orphan file behind.
    await deps.storage.delete(stored.key).catch(() => undefined);
    throw err;
  }
}

/**
 * Writes a new document's `queued` row and enqueues it. The row is the source of truth: if
 * enqueueing fails, the reconciler queues the document later.
 */
export async function insertAndEnqueue(
  deps: Pick<Deps, 'db' | 'queue' | 'logger'>,
  values: Omit<typeof tables.documents.$inferInsert, 'status'>,
): Promise<PublicDocument> {
  const row = insertDocumentRow(deps.db, values);
  try {
    await deps.queue.enqueue(row.id);
  } catch (err) {
    deps.logger.warn(
      { documentId: row.id, err: err instanceof Error ? err.message : String(err) },
      'enqueue failed; the reconciler will queue the document',
    );
  }
  return toPublicDocument(row);
}

/** Writes a new document's `queued` row; ingestion (or a seeder through the same index writer) completes it. */
export function insertDocumentRow(db: Db, values: Omit<typeof tables.documents.$inferInsert, 'status'>): DocumentRow {
  return db.orm
    .insert(tables.documents)
    .values({ ...values, status: 'queued' })
    .returning()
    .get();
}
