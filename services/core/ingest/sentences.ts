import { countTokens } from '../text/tokenize.ts';

const STOPS = new Set(['。', '！', '？', '!', '?', '；', ';', '…']);
const CLOSERS = new Set(['”', '’', '"', "'", ')', '）', '」', '』', '】']);
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/**
 * Splits text into sentences, Chinese and Latin punctuation alike, keeping each sentence's
 * trailing whitespace so that joining the pieces gives back the text. A period splits only
 * before whitespace, so "1.2" and "e.g.x" stay whole; a newline always ends a piece.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const boundary = STOPS.has(c) || c === '\n' || (c === '.' && (i + 1 === text.length || isSpace(text[i + 1])));
    i++;
    if (!boundary) continue;
    while (i < text.length && (STOPS.has(text[i] ?? '') || CLOSERS.has(text[i] ?? ''))) i++;
    while (i < text.length && isSpace(text[i])) i++;
    out.push(text.slice(start, i));
    start = i;
  }
  if (start < text.length) out.push(text.slice(start));
  return out.filter((s) => s.trim() !== '');
}

const ATOM =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]\s*|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+\s*|\s+/gu;

/** Cuts an over-long sentence into pieces of at most `maxTokens`, between words or CJK characters. */
export function hardSplit(text: string, maxTokens: number): string[] {
  const pieces: string[] = [];
  let current = '';
  let tokens = 0;
  for (const atom of text.match(ATOM) ?? []) {
    const cost = countTokens(atom);
    if (tokens + cost > maxTokens && current.trim() !== '') {
      pieces.push(current);
      current = '';
      tokens = 0;
    }
    current += atom;
    tokens += cost;
  }
  if (current.trim() !== '') pieces.push(current);
  return pieces;
}
