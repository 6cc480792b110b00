import { extractText, getDocumentProxy } from 'unpdf';
import { IngestError } from '../errors.ts';
import { renderPdfPage, withPdfFile } from '../ocr/render.ts';
import { ocrPage } from './image.ts';
import { linesToBlocks, titleOf } from './lines.ts';
import type { Block, ParsedDocument, ParseOptions } from './types.ts';

/** A page whose text layer holds fewer visible characters than this is read by OCR. */
const MIN_TEXT_CHARS = 16;
/** Most scanned pages one document may have OCR'd. */
export const MAX_OCR_PAGES = 500;

interface PdfPage {
  text: string;
  /** Width and height in points. */
  size: [number, number];
}

async function readPages(bytes: Uint8Array): Promise<PdfPage[]> {
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    try {
      const { text } = await extractText(pdf, { mergePages: false });
      const pages: PdfPage[] = [];
      for (const [i, pageText] of text.entries()) {
        const page = await pdf.getPage(i + 1);
        const [x0 = 0, y0 = 0, x1 = 612, y1 = 792] = page.view;
        pages.push({ text: pageText, size: [Math.abs(x1 - x0), Math.abs(y1 - y0)] });
      }
      return pages;
    } finally {
      await pdf.destroy();
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new IngestError(`The PDF could not be read (${reason})`, { cause: err });
  }
}

const visibleChars = (text: string) => text.replace(/\s+/g, '').length;

/**
 * A PDF page by page: the text layer where a page has one, OCR (rendered with poppler, read
 * by Tesseract) where it has none, as in a scan. Page numbers are kept either way.
 */
export async function parsePdf(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParsedDocument> {
  const pages = await readPages(bytes);
  const scanned = pages.flatMap((p, i) => (visibleChars(p.text) < MIN_TEXT_CHARS ? [i] : []));
  if (scanned.length > MAX_OCR_PAGES) {
    throw new IngestError(`The PDF has ${scanned.length} scanned pages; at most ${MAX_OCR_PAGES} are read by OCR`);
  }
  const byPage = pages.map((p, i) => linesToBlocks(p.text.split('\n'), i + 1));
  if (scanned.length > 0) {
    opts.onOcrProgress?.(0, scanned.length);
    await withPdfFile(bytes, async (file) => {
      for (const [done, index] of scanned.entries()) {
        const image = await renderPdfPage(file, index + 1, pages[index]?.size ?? [612, 792]);
        const read = await ocrPage(image, index + 1, opts.ocrLanguage);
        if (read.length > 0) byPage[index] = read;
        opts.onOcrProgress?.(done + 1, scanned.length);
      }
    });
  }
  const blocks: Block[] = byPage.flat();
  if (blocks.length === 0) throw new IngestError('No text was found in the PDF, neither in a text layer nor by OCR');
  return { title: titleOf(blocks), blocks };
}
