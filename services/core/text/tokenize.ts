import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { stemmer } from 'stemmer';

let jieba: Jieba | undefined;
/**
 * Built on first use, once per process: the segmenter holds ~40 MB, so a service that never
 * segments (the console, the gateway) never pays for it. The 5 MB dictionary file is read here
 * rather than through `@node-rs/jieba/dict.js`, which keeps it and the 6 MB IDF table (unused)
 * in memory from import on.
 */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt')));
  return jieba;
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/;
const CJK_GLOBAL = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/g;
const WORD = /[\p{L}\p{N}]/u;
const LATIN_WORDS = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

const STOPWORDS = new Set(
  (
    'a an and are as at be but by for from has have how i if in into is it its of on or that the their this to was ' +
    'were what when where which who why will with you your do does did not no can 的 了 和 是 在 与 及 或 也 就 都 而 ' +
    '着 之 其 这 那 有 为 以 于 对 把 被 让 从 吗 呢 吧 啊 什么 怎么 如何 哪些 一个 我们 你们 他们 可以 进行'
  ).split(' '),
);

export const isCjk = (s: string): boolean => CJK.test(s);

/**
 * jieba's search mode with only the shorter words that tile each long one, from its start,
 * longest first, and so on inside those: "普通用户" gives "普通" and "用户" but not "通用",
 * "服务器" "服务" but not "务器", "代理服务器" "代理", "服务器" and "服务", "中华人民共和国"
 * "中华", "人民", "共和国", "共和" but not "华人". The search mode gives every
 * dictionary word inside a long one, and those that straddle its parts are other words.
 * Measured on `npm run eval`, answer@1 / answer@5 of zh-dev and zh-holdout (English has no
 * such words): `drill-down-relaxed` + hybrid 48/68, 42/50 -> 48/69, 42/51, `flat` + hybrid
 * 49/67, 42/50 -> 49/68, 42/50, the default the same (48/69, 42/52). The built-in embedder keeps
 * the search mode (`analyze`): its vectors would all have to be made again.
 */
function tiledSearchCut(j: Jieba, text: string): string[] {
  const out: string[] = [];
  // A part gets its own parts too, so a word's terms are the same alone as inside a longer one.
  const tile = (word: string, inside: string[]) => {
    for (let at = 0; at < word.length; ) {
      const part = inside.reduce(
        (best, w) => (w.length > best.length && w !== word && word.startsWith(w, at) ? w : best),
        '',
      );
      if (part) {
        tile(part, inside);
        out.push(part);
      }
      at += part.length || 1;
    }
  };
  // The search mode of each long word gives the dictionary's words inside it (single characters
  // of a word jieba's HMM joined are not words). Over 1.2 M characters of Chinese man pages:
  // 255-270 ms, as the search mode of the whole text (230-300 ms); the whole text cut twice, to
  // tell each word from the words inside it, took 405-460 ms.
  for (const word of j.cut(text, true)) {
    if (word.length > 2 && CJK.test(word)) {
      tile(
        word,
        j.cutForSearch(word, false).filter((w) => w.length > 1),
      );
    }
    out.push(word);
  }
  return out;
}

/**
 * How `segment` cuts Chinese: `words` as jieba's `cut`; `search` also the shorter words inside
 * long ones (jieba's search mode); `tiled` only those of them that tile the long word (`tiledSearchCut`).
 */
export type ChineseCut = 'words' | 'search' | 'tiled';

/**
 * Splits text into lower-case words: Chinese by jieba (`cut`, default `words`), other scripts
 * on word boundaries. Punctuation and whitespace are dropped; stopwords are kept unless
 * `dropStopwords`.
 */
export function segment(text: string, opts: { dropStopwords?: boolean; cut?: ChineseCut } = {}): string[] {
  const words: string[] = [];
  const j = segmenter();
  const cut = opts.cut ?? 'words';
  const raw =
    cut === 'tiled' ? tiledSearchCut(j, text) : cut === 'search' ? j.cutForSearch(text, true) : j.cut(text, true);
  for (const piece of raw) {
    if (!WORD.test(piece)) continue;
    const word = piece.toLowerCase();
    if (opts.dropStopwords && STOPWORDS.has(word)) continue;
    words.push(word);
  }
  return words;
}

const LATIN_WORD = /^[a-z]+$/;

/**
 * The terms of a text for matching, passages and queries alike (the built-in embedder's
 * features; full text adds the exact words, `indexTerms`): long Chinese words also as
 * the shorter words inside them (jieba's search mode, so "代理" finds "代理服务器"), English
 * words by their Porter stem (so "configuring" finds "configure"), numbers and codes as they are.
 */
export function analyze(text: string, opts: { dropStopwords?: boolean } = {}): string[] {
  return segment(text, { cut: 'search', dropStopwords: opts.dropStopwords }).map((w) =>
    LATIN_WORD.test(w) ? stemmer(w) : w,
  );
}

/**
 * Marks a word's exact form among the indexed terms: a private-use character, which FTS5's
 * unicode61 tokenizer keeps inside the token and no text of a document holds.
 */
export const EXACT_MARK = '\uE000';

/**
 * The terms full-text search indexes and matches: the `analyze` terms, with only the shorter
 * Chinese words that tile a long one (`tiledSearchCut`), and each English word once more as it
 * is written (`EXACT_MARK` and the word) unless `exact` is false. A passage that has the
 * query's own word scores for the word and its stem, one with another form of it for the stem
 * alone. Measured against the stems alone with plain BM25 over the eval's passages
 * among 20k of man pages, answer@1 / answer@5 of zh-dev, en-dev, zh-holdout, en-holdout:
 * 41/63, 24/38, 35/45, 19/30 -> 46/62, 25/43, 38/46, 23/31 (the words without stems: 42/62,
 * 23/40, 35/45, 23/30; the exact word only where it differs from its stem: 44/63, 23/42, 36/45,
 * 22/30).
 */
export function indexTerms(text: string, opts: { dropStopwords?: boolean; exact?: boolean } = {}): string[] {
  const exact = opts.exact ?? true;
  return segment(text, { cut: 'tiled', dropStopwords: opts.dropStopwords }).flatMap((w) => {
    if (!LATIN_WORD.test(w)) return [w];
    return exact ? [stemmer(w), EXACT_MARK + w] : [stemmer(w)];
  });
}

/** The stem an exact word (`EXACT_MARK` and the word) is indexed beside; undefined for other terms. */
export function stemOfExact(term: string): string | undefined {
  return term.startsWith(EXACT_MARK) ? stemmer(term.slice(EXACT_MARK.length)) : undefined;
}

/** Text prepared for the FTS5 index: its `indexTerms` separated by single spaces. */
export function segmentForIndex(text: string, opts: { exact?: boolean } = {}): string {
  return indexTerms(text, opts).join(' ');
}

/** The terms a query is searched by: its `indexTerms` without stopwords, each once. */
export function queryTerms(text: string): string[] {
  return [...new Set(indexTerms(text, { dropStopwords: true }))];
}

/**
 * A term's rarity as BM25 weighs it (Robertson-Sparck Jones, the `1 +` form that never goes
 * negative) among `rows` texts, `df` of which hold it; 0 for counts that cannot be (df > rows).
 */
export function rarity(rows: number, df: number): number {
  return Math.max(0, Math.log(1 + (rows - df + 0.5) / (df + 0.5)));
}

/**
 * An FTS5 MATCH expression that ORs these terms, each quoted so user input can never be read
 * as FTS syntax.
 */
export function ftsOr(terms: string[]): string {
  return terms.map((w) => `"${w.replaceAll('"', '""')}"`).join(' OR ');
}

/**
 * Approximate LLM token count without a tokenizer: one token per CJK character and
 * about 1.3 per word in other scripts. Cheap enough to call on every chunking step.
 */
export function countTokens(text: string): number {
  const cjk = text.match(CJK_GLOBAL)?.length ?? 0;
  const latin = text.replace(CJK_GLOBAL, ' ').match(LATIN_WORDS)?.length ?? 0;
  return cjk + Math.ceil(latin * 1.3);
}
