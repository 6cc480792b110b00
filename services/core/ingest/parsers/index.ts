import { parseMarkdown } from './markdown.ts';
import { decodeText, parseText } from './text.ts';
import type { FileKind, ParsedDocument, ParseOptions } from './types.ts';

export { detectFileKind } from './detect.ts';
export type { Block, FileKind, ParsedDocument, ParseOptions } from './types.ts';
export { fileKinds, kindOfMime, mimeTypes } from './types.ts';

/**
 * Parses a file of a known kind into blocks; throws IngestError with a readable reason. The
 * parsers of the heavier formats load on first use, so the parsing process starts quickly.
 */
export async function parseFile(kind: FileKind, bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParsedDocument> {
  switch (kind) {
    case 'text':
      return parseText(bytes);
    case 'markdown':
      return parseMarkdown(bytes);
    case 'html': {
      const { htmlToDocument, mainContentToDocument } = await import('./html.ts');
      const html = decodeText(bytes).text;
      return opts.mainContent ? mainContentToDocument(html) : htmlToDocument(html);
    }
    case 'pdf':
      return (await import('./pdf.ts')).parsePdf(bytes, opts);
    case 'docx':
      return (await import('./docx.ts')).parseDocx(bytes);
    case 'xlsx':
      return (await import('./spreadsheet.ts')).parseXlsx(bytes);
    case 'csv':
      return (await import('./spreadsheet.ts')).parseCsv(bytes);
    case 'pptx':
      return (await import('./pptx.ts')).parsePptx(bytes);
    case 'epub':
      return (await import('./epub.ts')).parseEpub(bytes);
    case 'png':
    case 'jpeg':
    case 'webp':
    case 'tiff':
      return (await import('./image.ts')).parseImage(bytes, opts);
  }
}
