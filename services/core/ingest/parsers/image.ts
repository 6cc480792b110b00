import sharp from 'sharp';
import { IngestError } from '../errors.ts';
import { reflowLines } from '../ocr/cleanup.ts';
import { MAX_IMAGE_PIXELS, prepareForOcr } from '../ocr/prepare.ts';
import { DEFAULT_OCR_LANGUAGE, recognize } from '../ocr/tesseract.ts';
import { linesToBlocks, titleOf } from './lines.ts';
import type { Block, ParsedDocument, ParseOptions } from './types.ts';

/** Most pages of a multi-page TIFF that are read. */
const MAX_IMAGE_PAGES = 200;

/** Text of one page image through OCR, as blocks carrying its page number. */
export async function ocrPage(image: Uint8Array, page: number, language: string | undefined): Promise<Block[]> {
  const text = await recognize(await prepareForOcr(image), language ?? DEFAULT_OCR_LANGUAGE);
  return linesToBlocks(reflowLines(text).split('\n'), page);
}

async function pageCount(bytes: Uint8Array): Promise<number> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
    return meta.pages ?? 1;
  } catch (err) {
    throw new IngestError(`The image could not be read (${err instanceof Error ? err.message : String(err)})`, {
      cause: err,
    });
  }
}

/** A PNG, JPEG, WebP or TIFF image (a scan, a photo of a page) read by OCR, page by page. */
export async function parseImage(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParsedDocument> {
  const pages = await pageCount(bytes);
  if (pages > MAX_IMAGE_PAGES)
    throw new IngestError(`The image has ${pages} pages; at most ${MAX_IMAGE_PAGES} are read`);
  const blocks: Block[] = [];
  opts.onOcrProgress?.(0, pages);
  for (let page = 1; page <= pages; page++) {
    const image =
      pages === 1
        ? bytes
        : await sharp(bytes, { page: page - 1 })
            .png()
            .toBuffer();
    blocks.push(...(await ocrPage(image, page, opts.ocrLanguage)));
    opts.onOcrProgress?.(page, pages);
  }
  if (blocks.length === 0) throw new IngestError('No text was found in the image');
  return { title: titleOf(blocks), blocks };
}
