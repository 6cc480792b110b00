import { headingLevel } from './headings.ts';
import type { Block } from './types.ts';

/** A line that starts a list item, a table row or a quote: a line of its own, not a wrapped one. */
const STRUCTURED = /^\s*([-*+>|•·]|\d+[.)、]\s|[a-z][.)]\s|[（(]?[一二三四五六七八九十\d]+[)）、])/;
const TABLE_ROW = /\|/;
const CJK_END = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$/;
const CJK_START = /^[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * Joins the lines of a paragraph that a writer or a PDF wrapped mid-sentence (no space
 * between Chinese characters, one space otherwise); list items, table rows and quotes keep
 * their own lines. Sentence splitting then sees sentences, not line ends.
 */
export function joinWrapped(lines: string[]): string {
  let out = '';
  let previous = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (!out) out = line;
    else if (STRUCTURED.test(line) || TABLE_ROW.test(previous)) out += `\n${line}`;
    else out += CJK_END.test(out) && CJK_START.test(line) ? line : ` ${line}`;
    previous = line;
  }
  return out;
}

/**
 * Turns lines of plain text into blocks: blank lines end a paragraph, and a line that
 * reads as a numbered heading ("第一章", "1.2 Scope") becomes its own heading block.
 */
export function linesToBlocks(lines: string[], page?: number): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const text = joinWrapped(paragraph);
    if (text) blocks.push(page === undefined ? { text } : { text, page });
    paragraph = [];
  };
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '') {
      flush();
      continue;
    }
    const level = headingLevel(line);
    if (level !== undefined) {
      flush();
      blocks.push({ text: line.trim(), heading: level, ...(page !== undefined && { page }) });
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** The first heading, else the first short line: a fallback title. */
export function titleOf(blocks: Block[]): string | null {
  const heading = blocks.find((b) => b.heading !== undefined);
  const first = heading ?? blocks[0];
  if (!first) return null;
  const line = first.text.split('\n')[0]?.trim() ?? '';
  return line ? line.slice(0, 200) : null;
}
