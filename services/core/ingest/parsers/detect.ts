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
};

const SNIFF_BYTES = 8192;
const SUPPORTED = 'text, Markdown, HTML, PDF or DOCX';

const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);
const ascii = (bytes: Uint8Array, from = 0, to = bytes.length) =>
  Buffer.from(bytes.subarray(from, to)).toString('latin1');

export const isPdf = (bytes: Uint8Array) => ascii(bytes, 0, 1024).includes('%PDF-');
const isZip = (bytes: Uint8Array) => startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]);
/** A zip whose entries include the main part of a Word document. */
const isDocx = (bytes: Uint8Array) => isZip(bytes) && Buffer.from(bytes).includes('word/document.xml');

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

const refuse = (message: string) => new AppError('unsupported_type', message, 415);

/**
 * The kind of an uploaded file, judged by its content as well as its name: a PNG renamed
 * `.pdf`, a binary renamed `.txt` or a zip that is not a Word document is refused with 415.
 */
export function detectFileKind(fileName: string, bytes: Uint8Array): FileKind {
  const ext = extname(fileName).toLowerCase();
  const claimed = BY_EXTENSION[ext];
  if (ext && !claimed) throw refuse(`Files of type ${ext} are not supported; upload ${SUPPORTED}`);
  const content: FileKind | 'binary' = isPdf(bytes)
    ? 'pdf'
    : isDocx(bytes)
      ? 'docx'
      : isZip(bytes) || looksBinary(bytes)
        ? 'binary'
        : looksHtml(bytes)
          ? 'html'
          : 'text';
  if (!claimed) {
    if (content === 'binary') throw refuse(`This file is not ${SUPPORTED}`);
    return content;
  }
  if (claimed === 'pdf' || claimed === 'docx') {
    if (content !== claimed)
      throw refuse(`The file is named ${ext} but its content is not a ${claimed.toUpperCase()} file`);
    return claimed;
  }
  if (content === 'binary' || content === 'pdf' || content === 'docx') {
    throw refuse(`The file is named ${ext} but its content is not text`);
  }
  return claimed;
}
