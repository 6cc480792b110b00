import mammoth from 'mammoth';
import { IngestError } from '../errors.ts';
import { htmlToDocument } from './html.ts';
import type { ParsedDocument } from './types.ts';

/** A Word document through mammoth: headings (Heading 1-6 styles) and paragraphs kept. */
export async function parseDocx(bytes: Uint8Array): Promise<ParsedDocument> {
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new IngestError(`The Word document could not be read (${reason})`, { cause: err });
  }
  if (!html.trim()) throw new IngestError('The Word document contains no text');
  return htmlToDocument(`<body>${html}</body>`);
}
