import { randomUUID } from 'node:crypto';
import { kbAccess, type Principal } from '../access/index.ts';
import type { Config } from '../config.ts';
import type { DocumentMetadata } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { mimeTypes } from '../ingest/parsers/types.ts';
import { allowedAddress, type FetchPolicy, parseImportUrl, UrlRefusedError } from '../url-import/fetch.ts';
import { cleanFileName, insertAndEnqueue } from './create.ts';
import type { PublicDocument } from './index.ts';

/** Limits of a web import: the upload limit for size, 20 s and 5 redirects. */
export const importPolicy = (config: Config): FetchPolicy => ({
  allowPrivate: config.URL_IMPORT_ALLOW_PRIVATE,
  maxBytes: config.MAX_UPLOAD_MB * 1024 * 1024,
  timeoutMs: 20_000,
  maxRedirects: 5,
});

/** A readable name for a page: its host and path, "docs.example.com_guide_install". */
export function urlFileName(url: URL): string {
  const path = decodeURIComponent(url.pathname).replace(/\/+$/, '').replace(/\//g, '_');
  return cleanFileName(`${url.hostname}${path}`);
}

/**
 * Queues a web page for import into a KB the caller may write to. The address is checked now
 * (http(s), its host resolving to allowed addresses only: 400 `url_refused` otherwise) and
 * again by the worker on every fetch and redirect; the page is fetched in the background.
 */
export async function createUrlDocument(
  deps: Pick<Deps, 'db' | 'queue' | 'config' | 'logger'>,
  who: Principal,
  kbId: string,
  rawUrl: string,
  metadata: DocumentMetadata = {},
): Promise<PublicDocument> {
  const { userId } = kbAccess(deps.db, who, kbId, 'write');
  let url: URL;
  try {
    url = parseImportUrl(rawUrl);
    await allowedAddress(url, importPolicy(deps.config));
  } catch (err) {
    if (err instanceof UrlRefusedError) throw new AppError('url_refused', err.message);
    throw err;
  }
  const id = randomUUID();
  const fileName = urlFileName(url);
  return insertAndEnqueue(deps, {
    id,
    userId,
    kbId,
    fileName,
    mimeType: mimeTypes.html,
    size: 0,
    sha256: '',
    storageKey: `${userId}/${id}/${fileName}`,
    sourceUrl: url.href,
    metadata,
  });
}
