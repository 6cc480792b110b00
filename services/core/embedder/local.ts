import { analyze, isCjk, rarity, segment } from '../text/tokenize.ts';
import type { Embedder } from './index.ts';

/** The first built-in model: hashed term frequencies of jieba words and CJK bigrams. */
export const LOCAL_EMBEDDING_MODEL_V1 = 'local-lexical-v1';
/** The built-in model: hashed `analyze` terms, weighted by their rarity in the knowledge base at query time. */
export const LOCAL_EMBEDDING_MODEL = 'local-lexical-v2';
export const LOCAL_EMBEDDING_MODELS = [LOCAL_EMBEDDING_MODEL_V1, LOCAL_EMBEDDING_MODEL];

/** How many of the index's rows contain each term, and how many rows there are. */
export interface TermStatistics {
  rows: number;
  df: Map<string, number>;
}

/** Reads term statistics of the indexed text; the built-in embedder weights query terms by them. */
export type TermStatisticsSource = (terms: string[]) => TermStatistics;

/** FNV-1a 32-bit; stable across processes and platforms. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function lightStem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('es')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** v1 features: words (lightly stemmed) and, for Chinese, character bigrams. Kept to read v1 vectors. */
export function lexicalFeatures(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (f: string, w: number) => counts.set(f, (counts.get(f) ?? 0) + w);
  for (const word of segment(text, { dropStopwords: true })) {
    if (isCjk(word)) {
      add(`w:${word}`, 1);
      // Bigrams make recall robust to segmentation differences between query and passage.
      for (let i = 0; i + 1 < word.length; i++) add(`b:${word.slice(i, i + 2)}`, 0.5);
      if (word.length === 1) add(`c:${word}`, 0.3);
    } else {
      add(`w:${lightStem(word)}`, 1);
    }
  }
  return counts;
}

/** v2 features: the terms full-text search matches on, counted. */
function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of analyze(text, { dropStopwords: true })) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** Murmur3's finaliser: spreads FNV's weak low bits over the whole word. */
function mix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Each v2 feature goes to this many slots, so one unlucky collision cannot cancel a term out. */
const SLOTS = 2;

/** Adds weighted features into a vector by signed hashing, then L2-normalises it. */
function hashed(features: Iterable<[string, number]>, dimension: number, slots = 1): Float32Array {
  const v = new Float32Array(dimension);
  for (const [feature, weight] of features) {
    let h = fnv1a(feature);
    if (slots === 1) {
      v[h % dimension] += h & 0x80000000 ? -weight : weight;
      continue;
    }
    const share = weight / Math.sqrt(slots);
    for (let k = 0; k < slots; k++) {
      h = mix(h + k);
      v[h % dimension] += h & 0x80000000 ? -share : share;
    }
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dimension; i++) v[i] /= norm;
  return v;
}

export interface LocalEmbedderOptions {
  dimension?: number;
  /** Which built-in model; v1 only to read an index written by an older version. */
  model?: string;
  /** Term statistics for query weighting; without them query terms count alike. */
  statistics?: TermStatisticsSource;
}

/**
 * The built-in embedder: deterministic feature hashing, no model download, no network.
 * Passages are embedded from their term frequencies (sub-linear); a query is embedded from its
 * terms weighted by the square root of their rarity in the indexed text, so a rare word of the
 * question outweighs a common one (the full IDF concentrates the query on one hashed slot, where
 * collisions with unrelated words of long passages then decide: measured worse at 256 dims).
 * It ranks below BM25 on real documents and knows nothing full text does not, so hybrid search
 * ranks by full text alone with it (`fusionFor`); its vectors rank when hybrid is off.
 */
export function createLocalEmbedder(opts: LocalEmbedderOptions = {}): Embedder {
  const dimension = opts.dimension ?? 256;
  const model = opts.model ?? LOCAL_EMBEDDING_MODEL;
  if (model === LOCAL_EMBEDDING_MODEL_V1) {
    const embedOne = (text: string) =>
      hashed(
        [...lexicalFeatures(text)].map(([f, tf]) => [f, 1 + Math.log(tf + 1)]),
        dimension,
      );
    return { model, dimension, embed: async (texts) => texts.map(embedOne) };
  }
  const passage = (text: string) =>
    hashed(
      [...termCounts(text)].map(([t, tf]) => [t, 1 + Math.log(tf)]),
      dimension,
      SLOTS,
    );
  return {
    model,
    dimension,
    async embed(texts) {
      return texts.map(passage);
    },
    async embedQuery(text) {
      const terms = [...termCounts(text).keys()];
      const stats = opts.statistics?.(terms);
      if (!stats || stats.rows === 0)
        return hashed(
          terms.map((t) => [t, 1]),
          dimension,
          SLOTS,
        );
      return hashed(
        terms.map((t) => [t, Math.sqrt(rarity(stats.rows, stats.df.get(t) ?? 0))]),
        dimension,
        SLOTS,
      );
    },
  };
}
