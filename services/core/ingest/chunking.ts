import { countTokens } from '../text/tokenize.ts';
import type { Block } from './parsers/types.ts';
import { hardSplit, splitSentences } from './sentences.ts';

/** Chunk sizes in approximate LLM tokens (`countTokens`). */
export const CHUNKING = {
  parentMin: 800,
  parentTarget: 1000,
  parentMax: 1200,
  childTarget: 280,
  childMax: 350,
  childOverlap: 50,
  /** A section smaller than this shares its passage with the next section instead of standing alone. */
  childMin: 120,
};

export interface ChildDraft {
  position: number;
  /** The heading path of the section the passage starts in (its first paragraph's, not its parent's). */
  heading: string | null;
  content: string;
  tokenCount: number;
  page: number | null;
}

export interface ParentDraft {
  position: number;
  /** The heading path of the section it starts in, e.g. "Handbook > Backups". */
  heading: string | null;
  page: number | null;
  content: string;
  tokenCount: number;
  children: ChildDraft[];
}

interface Unit {
  text: string;
  tokens: number;
  page: number | null;
  heading: string | null;
  isHeading: boolean;
  /** A record block: one child as it is. */
  record: boolean;
}

/** Paragraphs tagged with their heading path; a paragraph over `parentMax` is cut by sentences. */
function toUnits(blocks: Block[]): Unit[][] {
  const sections: Unit[][] = [];
  const path: Array<{ level: number; text: string }> = [];
  let current: Unit[] = [];
  for (const block of blocks) {
    if (block.heading !== undefined) {
      while (path.length > 0 && (path.at(-1)?.level ?? 0) >= block.heading) path.pop();
      path.push({ level: block.heading, text: block.text.replace(/\s+/g, ' ').slice(0, 120) });
      if (current.length > 0) sections.push(current);
      current = [];
    }
    const heading = path.length > 0 ? path.map((p) => p.text).join(' > ') : null;
    const page = block.page ?? null;
    const tokens = countTokens(block.text);
    const isHeading = block.heading !== undefined;
    const record = block.record === true;
    if (tokens <= CHUNKING.parentMax) current.push({ text: block.text, tokens, page, heading, isHeading, record });
    else
      for (const text of packSentences(block.text, CHUNKING.parentTarget)) {
        current.push({ text, tokens: countTokens(text), page, heading, isHeading, record: false });
      }
  }
  if (current.length > 0) sections.push(current);
  return sections;
}

/** Packs sentences into pieces of about `target` tokens. */
function packSentences(text: string, target: number): string[] {
  const out: string[] = [];
  let buf = '';
  let tokens = 0;
  for (const sentence of splitSentences(text).flatMap((s) => (countTokens(s) > target ? hardSplit(s, target) : [s]))) {
    const t = countTokens(sentence);
    if (tokens + t > target && buf.trim()) {
      out.push(buf.trim());
      buf = '';
      tokens = 0;
    }
    buf += sentence;
    tokens += t;
  }
  if (buf.trim()) out.push(buf.trim());
  return out;
}

/**
 * Sections first, then size: a section that does not fit starts a new parent (headings
 * alone never stand as a parent), small neighbours merge up to `parentMin`, and no parent
 * grows past `parentMax`.
 */
function groupParents(sections: Unit[][]): Unit[][] {
  const parents: Unit[][] = [];
  let current: Unit[] = [];
  let tokens = 0;
  const close = () => {
    if (current.length > 0) parents.push(current);
    current = [];
    tokens = 0;
  };
  const hasRecords = (units: Unit[]) => units.some((u) => u.record);
  for (const section of sections) {
    const sectionTokens = section.reduce((n, u) => n + u.tokens, 0);
    const onlyHeadings = current.every((u) => u.isHeading);
    // A section of records (a sheet) is a parent of its own, never merged with its neighbours.
    const apart = hasRecords(section) || hasRecords(current);
    if ((tokens + sectionTokens > CHUNKING.parentMax || apart) && !onlyHeadings) close();
    for (const unit of section) {
      if (tokens + unit.tokens > CHUNKING.parentMax || (tokens >= CHUNKING.parentTarget && current.length > 0)) close();
      current.push(unit);
      tokens += unit.tokens;
    }
    if (tokens >= CHUNKING.parentMin) close();
  }
  close();
  return parents;
}

interface Piece {
  content: string;
  tokens: number;
  page: number | null;
  heading: string | null;
}

interface Sentence {
  text: string;
  tokens: number;
  page: number | null;
  heading: string | null;
  isHeading: boolean;
}

/**
 * A parent's sections as runs of units: a run starts at a heading and gathers sections until
 * it holds `childMin` tokens, so a passage never straddles two sections that could each stand
 * alone, and a question's heading stays with its answer.
 */
function sectionRuns(units: Unit[]): Unit[][] {
  const runs: Unit[][] = [];
  let current: Unit[] = [];
  let tokens = 0;
  for (const unit of units) {
    if (unit.isHeading && tokens >= CHUNKING.childMin) {
      runs.push(current);
      current = [];
      tokens = 0;
    }
    current.push(unit);
    tokens += unit.tokens;
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** Children of a parent: each record as it is, the text between records in section runs. */
function splitChildren(units: Unit[]): Piece[] {
  const children: Piece[] = [];
  let prose: Unit[] = [];
  const records = units.some((u) => u.record);
  // Beside records, a heading (the sheet name) is already in every child's heading path.
  const flush = () => {
    if (prose.length > 0 && (!records || prose.some((u) => !u.isHeading))) {
      children.push(...sectionRuns(prose).flatMap(splitRun));
    }
    prose = [];
  };
  for (const unit of units) {
    if (!unit.record) {
      prose.push(unit);
      continue;
    }
    flush();
    children.push({ content: unit.text, tokens: unit.tokens, page: unit.page, heading: unit.heading });
  }
  flush();
  return children;
}

/** Sentence-aligned children of about `childTarget` tokens; each repeats the tail of the previous. */
function splitRun(units: Unit[]): Piece[] {
  const sentences: Sentence[] = units.flatMap((u) =>
    splitSentences(`${u.text}\n\n`)
      .flatMap((s) => (countTokens(s) > CHUNKING.childMax ? hardSplit(s, CHUNKING.childTarget) : [s]))
      .map((text) => ({ text, tokens: countTokens(text), page: u.page, heading: u.heading, isHeading: u.isHeading })),
  );
  const children: Piece[] = [];
  let start = 0;
  while (start < sentences.length) {
    let end = start;
    let tokens = 0;
    while (end < sentences.length) {
      const t = sentences[end]?.tokens ?? 0;
      if (end > start && (tokens + t > CHUNKING.childMax || tokens >= CHUNKING.childTarget)) break;
      tokens += t;
      end++;
    }
    const slice = sentences.slice(start, end);
    children.push({
      content: slice
        .map((s) => s.text)
        .join('')
        .trim(),
      tokens,
      page: slice[0]?.page ?? null,
      heading: (slice.find((s) => !s.isHeading) ?? slice[0])?.heading ?? null,
    });
    if (end >= sentences.length) break;
    let overlapStart = end;
    let overlap = 0;
    while (overlapStart - 1 > start && overlap + (sentences[overlapStart - 1]?.tokens ?? 0) <= CHUNKING.childOverlap) {
      overlapStart--;
      overlap += sentences[overlapStart]?.tokens ?? 0;
    }
    start = overlapStart;
  }
  return children;
}

/** Parent and child chunks of a parsed document, structure first, then size. */
export function chunkDocument(blocks: Block[]): ParentDraft[] {
  let childPosition = 0;
  return groupParents(toUnits(blocks)).map((units, position) => {
    const content = units.map((u) => u.text).join('\n\n');
    const children = splitChildren(units).map((c) => ({
      position: childPosition++,
      heading: c.heading,
      content: c.content,
      tokenCount: c.tokens,
      page: c.page,
    }));
    return {
      position,
      heading: (units.find((u) => !u.isHeading) ?? units[0])?.heading ?? null,
      page: units[0]?.page ?? null,
      content,
      tokenCount: countTokens(content),
      children,
    };
  });
}
