import { extname } from 'node:path';
import { AppError } from '../../errors.ts';
import type { FileKind } from './types.ts';

const BY_EXTENSION: Record<string, FileKind> = {
  '.txt': 'text',
  '.text': 'text',
  '.log': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdown': 'markdown',
  '.mkd': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.xlsx': 'xlsx',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.pptx': 'pptx',
  '.epub': 'epub',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
  '.tif': 'tiff',
  '.tiff': 'tiff',
};

/** Kinds whose content has a signature of its own; the rest are text and judged as text. */
type BinaryKind = Exclude<FileKind, 'text' | 'markdown' | 'html' | 'csv'>;
const TEXT_KINDS = new Set<FileKind>(['text', 'markdown', 'html', 'csv']);

const SNIFF_BYTES = 8192;
const SUPPORTED = 'text, Markdown, HTML, PDF, Word, Excel, CSV, PowerPoint, EPUB or an image (PNG, JPEG, WebP, TIFF)';
const LABEL: Record<BinaryKind, string> = {
  pdf: 'PDF',
  docx: 'Word (.docx)',
  xlsx: 'Excel (.xlsx)',
  pptx: 'PowerPoint (.pptx)',
  epub: 'EPUB',
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  tiff: 'TIFF',
};

const startsWith = (bytes: Uint8Array, sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, from = 0, to = bytes.length) =>
  Buffer.from(bytes.subarray(from, to)).toString('latin1');

export const isPdf = (bytes: Uint8Array) => ascii(bytes, 0, 1024).includes('%PDF-');
const isZip = (bytes: Uint8Array) => startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]);
/** Old binary Office files (.doc, .xls, .ppt) share the OLE2 compound file signature. */
const isOle2 = (bytes: Uint8Array) => startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** The kind of a zip by the part names in it: the main part of a Word, Excel or PowerPoint file, an EPUB's mimetype. */
function zipKind(bytes: Uint8Array): BinaryKind | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(bytes, 30, 58) === 'mimetypeapplication/epub+zip') return 'epub';
  if (buf.includes('word/document.xml')) return 'docx';
  if (buf.includes('xl/workbook.xml')) return 'xlsx';
  if (buf.includes('ppt/presentation.xml')) return 'pptx';
  if (buf.includes('META-INF/container.xml') && buf.includes('application/epub+zip')) return 'epub';
  return undefined;
}

function imageKind(bytes: Uint8Array): BinaryKind | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  return undefined;
}

/** UTF-16 text (as Windows Notepad saves "Unicode") starts with a byte order mark. */
export const hasUtf16Bom = (bytes: Uint8Array) => startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);

/** NUL bytes or many control characters in the first 8 KB: not text in any encoding we read. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (hasUtf16Bom(bytes)) return false;
  const head = bytes.subarray(0, SNIFF_BYTES);
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) control++;
  }
  return head.length > 0 && control / head.length > 0.05;
}

const looksHtml = (bytes: Uint8Array) => /^\s*(<!doctype html|<html[\s>])/i.test(ascii(bytes, 0, 1024));

const refuse = (message: string) => new AppError('unsupported_type', message);

/** What the bytes are, whatever the name says. */
function contentKind(bytes: Uint8Array): BinaryKind | 'html' | 'text' | 'binary' | 'legacy-office' {
  if (isPdf(bytes)) return 'pdf';
  const image = imageKind(bytes);
  if (image) return image;
  if (isZip(bytes)) return zipKind(bytes) ?? 'binary';
  if (isOle2(bytes)) return 'legacy-office';
  if (looksBinary(bytes)) return 'binary';
  return looksHtml(bytes) ? 'html' : 'text';
}

/**
 * The kind of an uploaded file, judged by its content as well as its name: a PNG renamed
 * `.pdf`, a binary renamed `.txt` or a zip that is not an office file or e-book is refused with 415.
 */
export function detectFileKind(fileName: string, bytes: Uint8Array): FileKind {
  const ext = extname(fileName).toLowerCase();
  const claimed = BY_EXTENSION[ext];
  const content = contentKind(bytes);
  if (content === 'legacy-office') {
    throw refuse('Old binary Office files (.doc, .xls, .ppt) are not supported; save them as .docx, .xlsx or .pptx');
  }
  if (ext && !claimed) throw refuse(`Files of type ${ext} are not supported; upload ${SUPPORTED}`);
  if (!claimed) {
    if (content === 'binary') throw refuse(`This file is not ${SUPPORTED}`);
    return content;
  }
  if (!TEXT_KINDS.has(claimed)) {
    if (content !== claimed) {
      throw refuse(`The file is named ${ext} but its content is not a ${LABEL[claimed as BinaryKind]} file`);
    }
    return claimed;
  }
  if (content !== 'text' && content !== 'html') throw refuse(`The file is named ${ext} but its content is not text`);
  return claimed;
}
