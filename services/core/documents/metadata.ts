import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../access/index.ts';
import { type Db, tables } from '../db/index.ts';
import { invalidateKb } from '../db/kb-generation.ts';
import type { DocumentMetadata } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { documentAccess, type PublicDocument, toPublicDocument } from './index.ts';

export type { DocumentMetadata, MetadataValue } from '../db/schema.ts';

export const MAX_METADATA_KEYS = 50;
const MAX_KEY_CHARS = 64;
const MAX_STRING_CHARS = 1000;
const MAX_LIST_ITEMS = 100;
const MAX_ITEM_CHARS = 200;

/** A metadata name: visible characters, no quotes or backslashes, at most 64. */
export const metadataKey = z
  .string()
  .trim()
  .min(1, 'a metadata name must not be empty')
  .max(MAX_KEY_CHARS)
  .regex(/^[^\p{Cc}"\\]+$/u, 'a metadata name cannot hold control characters, quotes or backslashes');

export const metadataValue = z.union([
  z.string().max(MAX_STRING_CHARS).describe('Text; a date as ISO 8601 (`2025-03-01` or `2025-03-01T09:00:00Z`)'),
  z.number().finite(),
  z.array(z.string().max(MAX_ITEM_CHARS)).max(MAX_LIST_ITEMS).describe('A list of strings (tags)'),
]);

/** A document's metadata as a client sends it: at most 50 names, each a string, a number or a list of strings. */
export const metadataSchema = z
  .record(metadataKey, metadataValue)
  .refine((m) => Object.keys(m).length <= MAX_METADATA_KEYS, `at most ${MAX_METADATA_KEYS} metadata names`)
  .describe('Key/value facts about a document: string, number, date (ISO 8601 string) or list of strings');

/** Parses the `metadata` multipart field of an upload: a JSON object, or nothing. */
export function parseMetadataField(raw: unknown): DocumentMetadata {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') throw new AppError('validation_failed', 'metadata: must be a JSON object');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('validation_failed', 'metadata: is not valid JSON');
  }
  return checkMetadata(json);
}

/** Validates metadata from any source with the contract's 400. */
export function checkMetadata(input: unknown): DocumentMetadata {
  const parsed = metadataSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: ['metadata', ...i.path].join('.'), message: i.message }));
  const first = issues[0];
  throw new AppError('validation_failed', `${first.path}: ${first.message}`, { issues });
}

/**
 * Replaces a document's metadata (the caller must be able to write to its KB). Cached search
 * results of the KB are dropped, since a filtered search may now match differently.
 */
export function setDocumentMetadata(
  db: Db,
  who: Principal,
  documentId: string,
  metadata: DocumentMetadata,
): PublicDocument {
  const { doc } = documentAccess(db, who, documentId, 'write');
  const row = db.orm
    .update(tables.documents)
    .set({ metadata, updatedAt: Date.now() })
    .where(eq(tables.documents.id, doc.id))
    .returning()
    .get();
  invalidateKb(db, doc.kbId);
  return toPublicDocument(row);
}
