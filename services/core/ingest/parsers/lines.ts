import { headingLevel } from './headings.ts';
import type { Block } from './types.ts';

/**
 * Turns lines of plain text into blocks: blank lines end a paragraph, and a line that
 * reads as a numbered heading ("第一章", "1.2 Scope") becomes its own heading block.
 */
export function linesToBlocks(lines: string[], page?: number): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const text = paragraph.join('\n').trim();
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
