import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestError } from '../errors.ts';
import { runTool, ToolError } from './run.ts';

/** Pages render at this resolution unless that would pass `MAX_SIDE` pixels. */
const DPI = 300;
const MAX_SIDE = 4200;

/**
 * Runs `fn` with the PDF written to a scratch file for poppler to read (in the parsing
 * process's temporary directory), and removes the file afterwards.
 */
export async function withPdfFile<T>(bytes: Uint8Array, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-'));
  try {
    const file = join(dir, 'in.pdf');
    await writeFile(file, bytes);
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One page of a PDF file as a greyscale PNG, rendered by poppler's pdftoppm. */
export async function renderPdfPage(file: string, page: number, sizePt: [number, number]): Promise<Buffer> {
  const longest = Math.max(sizePt[0], sizePt[1], 1);
  const dpi = Math.max(36, Math.min(DPI, Math.floor((MAX_SIDE * 72) / longest)));
  try {
    return await runTool('pdftoppm', [
      '-f',
      String(page),
      '-l',
      String(page),
      '-r',
      String(dpi),
      '-gray',
      '-png',
      file,
    ]);
  } catch (err) {
    if (err instanceof ToolError) throw new IngestError(`Page ${page} of the PDF could not be rendered for OCR`);
    throw err;
  }
}
