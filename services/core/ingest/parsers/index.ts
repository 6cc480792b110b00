import { parseDocx } from './docx.ts';
import { parseEpub } from './epub.ts';
import { htmlToDocument, mainContentToDocument } from './html.ts';
import { parseImage } from './image.ts';
import { parseMarkdown } from './markdown.ts';
import { parsePdf } from './pdf.ts';
import { parsePptx } from './pptx.ts';
import { parseCsv, parseXlsx } from './spreadsheet.ts';
import { decodeText, parseText } from './text.ts';
import type { FileKind, ParsedDocument, ParseOptions } from './types.ts';

export { detectFileKind } from './detect.ts';
export type { Block, FileKind, ParsedDocument, ParseOptions } from './types.ts';
export { fileKinds, kindOfMime, mimeTypes } from './types.ts';

/** Parses a file of a known kind into blocks; throws IngestError with a readable reason. */
export async function parseFile(kind: FileKind, bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParsedDocument> {
  switch (kind) {
    case 'text':
      return parseText(bytes);
    case 'markdown':
      return parseMarkdown(bytes);
    case 'html': {
      const html = decodeText(bytes).text;
      return opts.mainContent ? mainContentToDocument(html) : htmlToDocument(html);
    }
    case 'pdf':
      return parsePdf(bytes, opts);
    case 'docx':
      return parseDocx(bytes);
    case 'xlsx':
      return parseXlsx(bytes);
    case 'csv':
      return parseCsv(bytes);
    case 'pptx':
      return parsePptx(bytes);
    case 'epub':
      return parseEpub(bytes);
    case 'png':
    case 'jpeg':
    case 'webp':
    case 'tiff':
      return parseImage(bytes, opts);
  }
}
