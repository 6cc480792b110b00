import { IngestError } from '../errors.ts';
import { linesToBlocks, titleOf } from './lines.ts';
import { decodeText } from './text.ts';
import type { Block, ParsedDocument } from './types.ts';

const ATX = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/** Drops YAML front matter but keeps its `title:` as the document title. */
function splitFrontMatter(lines: string[]): { lines: string[]; title: string | null } {
  if (lines[0]?.trim() !== '---') return { lines, title: null };
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) return { lines, title: null };
  const titleLine = lines.slice(1, end).find((l) => /^title\s*:/.test(l));
  const title = titleLine
    ? titleLine
        .replace(/^title\s*:\s*/, '')
        .replace(/^["']|["']$/g, '')
        .trim()
    : null;
  return { lines: lines.slice(end + 1), title: title || null };
}

/** Markdown: `#` headings (and numbered ones), paragraphs, fenced code kept whole. */
export function parseMarkdown(bytes: Uint8Array): ParsedDocument {
  const { text } = decodeText(bytes);
  const front = splitFrontMatter(text.replace(/\r\n?/g, '\n').split('\n'));
  const blocks: Block[] = [];
  let pending: string[] = [];
  let fence: string[] | undefined;
  const flush = () => {
    blocks.push(...linesToBlocks(pending));
    pending = [];
  };
  for (const line of front.lines) {
    if (fence) {
      fence.push(line);
      if (FENCE.test(line)) {
        blocks.push({ text: fence.join('\n') });
        fence = undefined;
      }
      continue;
    }
    if (FENCE.test(line)) {
      flush();
      fence = [line];
      continue;
    }
    const atx = ATX.exec(line);
    if (atx?.[1] && atx[2]) {
      flush();
      blocks.push({ text: atx[2], heading: atx[1].length });
      continue;
    }
    pending.push(line);
  }
  if (fence) blocks.push({ text: fence.join('\n') });
  flush();
  if (blocks.length === 0) throw new IngestError('The file contains no text');
  return { title: front.title ?? titleOf(blocks), blocks };
}
