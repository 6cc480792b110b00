import { eq } from 'drizzle-orm';
import { tables } from '../db/index.ts';
import { importPolicy } from '../documents/url.ts';
import { AppError } from '../errors.ts';
import { fetchPage } from '../url-import/fetch.ts';
import { IngestError } from './errors.ts';
import { detectFileKind } from './parsers/detect.ts';
import { type FileKind, kindOfMime, mimeTypes } from './parsers/types.ts';
import type { IngestDeps } from './pipeline.ts';

type DocumentRow = typeof tables.documents.$inferSelect;

/** The bytes to parse and their kind, for an upload or for a page fetched from the web. */
export interface Source {
  kind: FileKind;
  bytes: Uint8Array;
  /** A fetched HTML page: keep only its article. */
  mainContent: boolean;
}

async function readStored(deps: IngestDeps, key: string): Promise<Buffer> {
  try {
    return await deps.storage.get(key);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new IngestError('The uploaded file is missing from storage');
    throw err;
  }
}

/** What a fetched body is: by its content first, then by the media type the server named. */
function fetchedKind(contentType: string, bytes: Uint8Array): FileKind {
  let detected: FileKind;
  try {
    detected = detectFileKind('', bytes);
  } catch (err) {
    if (err instanceof AppError)
      throw new IngestError(`The address does not serve a supported document (${err.message})`);
    throw err;
  }
  const named = kindOfMime(contentType === 'application/xhtml+xml' ? 'text/html' : contentType);
  if (detected === 'text' && (named === 'html' || named === 'markdown' || named === 'csv')) return named;
  return detected;
}

/**
 * The document's content: the stored upload, or for a web document the page fetched again
 * (checked like a new import), stored like an upload with its size, sha256 and type.
 */
export async function loadSource(deps: IngestDeps, doc: DocumentRow): Promise<Source> {
  if (!doc.sourceUrl) {
    const kind = kindOfMime(doc.mimeType);
    if (!kind) throw new IngestError(`Unsupported file type ${doc.mimeType}`);
    return { kind, bytes: await readStored(deps, doc.storageKey), mainContent: false };
  }
  const page = await fetchPage(doc.sourceUrl, importPolicy(deps.config));
  if (page.bytes.byteLength === 0) throw new IngestError('The page is empty');
  const kind = fetchedKind(page.contentType, page.bytes);
  const stored = await deps.storage.put(doc.storageKey, page.bytes);
  deps.db.orm
    .update(tables.documents)
    .set({ size: stored.size, sha256: stored.sha256, storageKey: stored.key, mimeType: mimeTypes[kind] })
    .where(eq(tables.documents.id, doc.id))
    .run();
  return { kind, bytes: page.bytes, mainContent: kind === 'html' };
}
