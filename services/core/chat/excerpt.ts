import { splitSentences } from '../ingest/sentences.ts';
import { rarity, segment } from '../text/tokenize.ts';

/** The part of a passage that answers a question, and how well it matches. */
export interface Excerpt {
  /** Position of the passage in the list given. */
  passage: number;
  /** The best sentence with a little context, whitespace flattened; `…` marks text left out. */
  text: string;
  /** The best sentence alone. */
  sentence: string;
  score: number;
}

/** An excerpt grows around its best sentence with neighbours while it stays this short. */
const EXCERPT_CHARS = 420;
/** A heading names a topic rather than answering: it counts half. */
const HEADING_WEIGHT = 0.5;
/** Words a follow-up carries from earlier questions count half of the question's own. */
const CARRIED_WEIGHT = 0.5;

const CJK_END = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$/u;
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Joins the lines of a hard-wrapped paragraph, so a sentence split over two lines stays one;
 * blank lines, list items, quotes and headings keep their line breaks.
 */
const unwrap = (text: string) =>
  text.replace(/([^\n])\n(?![\n#>]|\s*(?:[-*•+]|\d+[.)])\s)/g, (_m, last: string) =>
    CJK_END.test(last) ? last : `${last} `,
  );

/** Plural and third-person endings, so "queues" meets "queue" and "needs" meets "need". */
function stem(word: string): string {
  if (!/^[a-z]+$/.test(word) || word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

const terms = (text: string) => new Set(segment(text, { dropStopwords: true, cut: 'search' }).map(stem));

interface Sentence {
  passage: number;
  position: number;
  text: string;
  terms: Set<string>;
  heading: boolean;
}

/** A short line without a sentence's closing punctuation: a heading carried into the passage. */
const looksLikeHeading = (text: string) => text.length <= 80 && !/[.!?。！？;；:：…,，、]$/.test(text);

function sentencesOf(passage: string, index: number): Sentence[] {
  return splitSentences(unwrap(passage))
    .map(flat)
    .filter(Boolean)
    .map((text, position) => ({ passage: index, position, text, terms: terms(text), heading: looksLikeHeading(text) }));
}

/**
 * For each passage that shares a word with the question, its best sentence and a little
 * context around it, best first. A sentence scores the rarity (inverse document frequency over
 * all the sentences given) of the question's words it contains, so the sentence naming the
 * specific thing asked about beats those that repeat the common words. `carried` words (from
 * earlier questions of a conversation) count half.
 */
export function answeringExcerpts(question: string, passages: string[], carried: string[] = []): Excerpt[] {
  const own = terms(question);
  const weight = new Map<string, number>([...terms(carried.join(' '))].map((t) => [t, CARRIED_WEIGHT]));
  for (const t of own) weight.set(t, 1);
  const wanted = new Set(weight.keys());
  const byPassage = passages.map(sentencesOf);
  const all = byPassage.flat();
  const df = new Map<string, number>();
  for (const s of all) for (const t of s.terms) if (wanted.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => {
    const n = df.get(t) ?? 0;
    return n === 0 ? 0 : rarity(all.length, n);
  };
  const score = (s: Sentence) =>
    [...wanted].reduce((sum, t) => sum + (s.terms.has(t) ? idf(t) * (weight.get(t) ?? 0) : 0), 0) *
    (s.heading ? HEADING_WEIGHT : 1);

  const excerpts: Excerpt[] = [];
  for (const sentences of byPassage) {
    let best: Sentence | undefined;
    let bestScore = 0;
    for (const s of sentences) {
      const value = score(s);
      if (value > bestScore) [best, bestScore] = [s, value];
    }
    if (!best) continue;
    excerpts.push({
      passage: best.passage,
      text: around(sentences, best.position),
      sentence: best.text,
      score: bestScore,
    });
  }
  // A stable sort: among equal scores the passage retrieval ranked first stays first.
  return excerpts.sort((a, b) => b.score - a.score);
}

/** Chinese runs on without spaces; a heading gets a colon before the sentence it introduces. */
function join(parts: Sentence[]): string {
  let out = '';
  for (const s of parts) {
    if (!out) out = s.text;
    else out = CJK_END.test(out) ? `${out}${s.text}` : `${out} ${s.text}`;
    if (s.heading && s !== parts.at(-1)) out += CJK_END.test(out) ? '：' : ':';
  }
  return out;
}

/**
 * The sentence at `at` with its neighbours while the excerpt stays short: the one before
 * (a heading there names the topic) and the one after, unless that starts the next section.
 * A heading that matches best is quoted with the sentence it introduces.
 */
function around(sentences: Sentence[], at: number): string {
  let from = at;
  let to = at;
  const length = () => sentences.slice(from, to + 1).reduce((n, s) => n + s.text.length + 1, 0);
  const fits = (s: Sentence | undefined) => s !== undefined && length() + s.text.length <= EXCERPT_CHARS;
  if (sentences[at]?.heading && fits(sentences[to + 1])) to += 1;
  if (fits(sentences[from - 1])) from -= 1;
  if (fits(sentences[to + 1]) && !sentences[to + 1]?.heading) to += 1;
  const body = join(sentences.slice(from, to + 1));
  const text = body.length > EXCERPT_CHARS * 2 ? `${body.slice(0, EXCERPT_CHARS * 2)}…` : body;
  return `${from > 0 ? '… ' : ''}${text}${to < sentences.length - 1 && !text.endsWith('…') ? ' …' : ''}`;
}

/** The head of a passage, whole sentences up to about `max` characters. */
export function headOf(passage: string, max: number): string {
  const sentences = sentencesOf(passage, 0);
  let to = 0;
  while (to + 1 < sentences.length && join(sentences.slice(0, to + 2)).length <= max) to += 1;
  const head = join(sentences.slice(0, to + 1));
  const text = head.length > max ? `${head.slice(0, max)}…` : head;
  return to < sentences.length - 1 && !text.endsWith('…') ? `${text} …` : text;
}
