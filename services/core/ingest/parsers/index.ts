import { parseDocx } from './docx.ts';
import { htmlToDocument } from './html.ts';
import { parseMarkdown } from './markdown.ts';
import { parsePdf } from './pdf.ts';
import { decodeText, parseText } from './text.ts';
import type { FileKind, ParsedDocument } from './types.ts';

export { detectFileKind } from './detect.ts';
export type { Block, FileKind, ParsedDocument } from './types.ts';
export { fileKinds, mimeTypes } from './types.ts';

/** Parses a file of a known kind into blocks; throws IngestError with a readable reason. */
export async function parseFile(kind: FileKind, bytes: Uint8Array): Promise<ParsedDocument> {
  switch (kind) {
    case 'text':
      return parseText(bytes);
    case 'markdown':
      return parseMarkdown(bytes);
    case 'html':
      return htmlToDocument(decodeText(bytes).text);
    case 'pdf':
      return parsePdf(bytes);
    case 'docx':
      return parseDocx(bytes);
  }
}

/** The kind of a stored document from its MIME type. */
export function kindOfMime(mime: string): FileKind | undefined {
  const kinds: Record<string, FileKind> = {
    'text/plain': 'text',
    'text/markdown': 'markdown',
    'text/html': 'html',
    'application/pdf': 'pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  };
  return kinds[mime];
}
