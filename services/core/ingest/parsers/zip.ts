import JSZip from 'jszip';
import { IngestError } from '../errors.ts';

/** Most bytes one part of an office or EPUB file may unpack to. */
const MAX_PART_BYTES = 64 * 1024 * 1024;

/** A zip-based document (PPTX, EPUB) opened for reading its XML parts. */
export interface ZipParts {
  has(path: string): boolean;
  /** The part's text, or null when it is missing. */
  text(path: string): Promise<string | null>;
}

export async function openZip(bytes: Uint8Array, what: string): Promise<ZipParts> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (err) {
    throw new IngestError(`The ${what} could not be read (${err instanceof Error ? err.message : String(err)})`, {
      cause: err,
    });
  }
  return {
    has: (path) => zip.file(path) !== null,
    async text(path) {
      const entry = zip.file(path);
      if (!entry) return null;
      const data = await entry.async('uint8array');
      if (data.byteLength > MAX_PART_BYTES) throw new IngestError(`The ${what} has a part larger than 64 MB`);
      return new TextDecoder().decode(data);
    },
  };
}

/** A path relative to the folder of `from`, as zip part names are (`../media/x` resolved). */
export function resolvePart(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}
