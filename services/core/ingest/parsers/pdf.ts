import { extractText, getDocumentProxy } from 'unpdf';
import { IngestError } from '../errors.ts';
import { linesToBlocks, titleOf } from './lines.ts';
import type { Block, ParsedDocument } from './types.ts';

/** The text layer of a PDF, page by page; a scanned PDF without one is refused. */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedDocument> {
  let pages: string[];
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    try {
      ({ text: pages } = await extractText(pdf, { mergePages: false }));
    } finally {
      await pdf.destroy();
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new IngestError(`The PDF could not be read (${reason})`, { cause: err });
  }
  const blocks: Block[] = pages.flatMap((text, i) => linesToBlocks(text.split('\n'), i + 1));
  if (blocks.length === 0) {
    throw new IngestError(
      'The PDF has no text layer (a scanned document?); only PDFs with selectable text are supported',
    );
  }
  return { title: titleOf(blocks), blocks };
}
