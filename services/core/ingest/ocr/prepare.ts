import sharp from 'sharp';
import { IngestError } from '../errors.ts';
import { measureLayout } from './layout.ts';

sharp.cache(false);
sharp.concurrency(1);

/** Larger images are refused: a 48-megapixel phone photo still fits. */
export const MAX_IMAGE_PIXELS = 60_000_000;
/** Tesseract reads best when a line of text is about this tall, in pixels (measured on Chinese pages). */
const TARGET_LINE_HEIGHT = 36;
/** The image handed to Tesseract stays below this many pixels. */
const MAX_OCR_PIXELS = 25_000_000;
const ANALYSIS_WIDTH = 1200;

/**
 * Turns a page image (a scan, a photo, a rendered PDF page) into what Tesseract reads best:
 * upright by its EXIF orientation, greyscale on white, deskewed, scaled so its text lines are
 * about 36 px tall. Returns PNG bytes. An unreadable or oversized image is an IngestError.
 */
export async function prepareForOcr(bytes: Uint8Array): Promise<Buffer> {
  const input = () => sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated' });
  let width: number;
  let height: number;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = meta.autoOrient?.width ?? meta.width ?? 0;
    height = meta.autoOrient?.height ?? meta.height ?? 0;
  } catch (err) {
    throw new IngestError(`The image could not be read (${reason(err)})`, { cause: err });
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new IngestError(
      `The image is ${width}×${height} pixels; images up to ${MAX_IMAGE_PIXELS / 1e6} megapixels are read`,
    );
  }
  if (width < 16 || height < 16) throw new IngestError('The image is too small to hold readable text');
  try {
    const upright = () => input().autoOrient().flatten({ background: '#ffffff' }).greyscale();
    const sample = await upright()
      .resize({ width: Math.min(width, ANALYSIS_WIDTH) })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { angle, lineHeight } = measureLayout(sample.data, sample.info.width, sample.info.height);
    let scale = lineHeight ? TARGET_LINE_HEIGHT / (lineHeight * (width / sample.info.width)) : 1;
    if (scale > 0.85 && scale < 1.2) scale = 1;
    scale = Math.min(scale, 2.5, Math.sqrt(MAX_OCR_PIXELS / (width * height)));
    const scaled = await upright()
      .resize({ width: Math.max(16, Math.round(width * scale)) })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { width: scaled.info.width, height: scaled.info.height, channels: 1 as const };
    const page = sharp(scaled.data, { raw });
    if (Math.abs(angle) >= 0.3) page.rotate(-angle, { background: '#ffffff' });
    return await page.png({ compressionLevel: 1 }).toBuffer();
  } catch (err) {
    throw new IngestError(`The image could not be read (${reason(err)})`, { cause: err });
  }
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));
