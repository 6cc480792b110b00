import chardet from 'chardet';
import iconv from 'iconv-lite';
import { IngestError } from '../errors.ts';
import { linesToBlocks, titleOf } from './lines.ts';
import type { ParsedDocument } from './types.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const CHINESE_FALLBACK = 'gb18030';

/**
 * Decodes text bytes: UTF-16 with a byte order mark, UTF-8 (with or without BOM) when valid, else the encoding chardet
 * detects. Chinese legacy encodings (GBK, GB2312) decode as GB18030, their superset.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(Buffer.from(bytes), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: iconv.decode(Buffer.from(bytes), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: strictUtf8.decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: detect below.
  }
  const detected = chardet.detect(bytes)?.toLowerCase() ?? CHINESE_FALLBACK;
  let encoding = /^(gb|gbk|gb2312|gb18030|big5|euc|shift_jis|iso-2022)/.test(detected) ? CHINESE_FALLBACK : detected;
  if (/^(big5)/.test(detected)) encoding = chooseBig5OrGb(bytes);
  if (!iconv.encodingExists(encoding)) encoding = CHINESE_FALLBACK;
  return { text: iconv.decode(Buffer.from(bytes), encoding), encoding };
}

/** Short Chinese texts often look like Big5 to a detector; keep Big5 only when GB18030 garbles. */
function chooseBig5OrGb(bytes: Uint8Array): string {
  const gb = iconv.decode(Buffer.from(bytes), CHINESE_FALLBACK);
  return gb.includes('\uFFFD') ? 'big5' : CHINESE_FALLBACK;
}

/** Plain text: paragraphs split on blank lines, numbered headings recognised. */
export function parseText(bytes: Uint8Array): ParsedDocument {
  const { text } = decodeText(bytes);
  const blocks = linesToBlocks(text.replace(/\r\n?/g, '\n').split('\n'));
  if (blocks.length === 0) throw new IngestError('The file contains no text');
  return { title: titleOf(blocks), blocks };
}
