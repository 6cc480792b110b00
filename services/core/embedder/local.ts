import { isCjk, segment } from '../text/tokenize.ts';
import type { Embedder } from './index.ts';

export const LOCAL_EMBEDDING_MODEL = 'local-lexical-v1';

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

/** Weighted features of a text: words (stemmed) and, for Chinese, character bigrams. */
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

/**
 * The built-in embedder: deterministic feature hashing of words and CJK bigrams with
 * sub-linear term frequency. No model download, no network; good at lexical overlap,
 * which is what a summary-first drill-down needs to find the right document.
 */
export function createLocalEmbedder(dimension = 256): Embedder {
  return {
    model: LOCAL_EMBEDDING_MODEL,
    dimension,
    async embed(texts) {
      return texts.map((text) => embedOne(text, dimension));
    },
  };
}

function embedOne(text: string, dimension: number): Float32Array {
  const v = new Float32Array(dimension);
  for (const [feature, tf] of lexicalFeatures(text)) {
    const h = fnv1a(feature);
    const sign = h & 0x80000000 ? -1 : 1;
    v[h % dimension] += sign * (1 + Math.log(tf + 1));
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dimension; i++) v[i] /= norm;
  return v;
}
