/** FNV-1a 32-bit, stable across processes. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const HAN = /[\u3400-\u9fff]/u;

/** Lower-case words; each Chinese character counts as a word so similar Chinese texts overlap too. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const token of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (HAN.test(token)) out.push(...token);
    else out.push(token);
  }
  return out;
}

/**
 * A deterministic "embedding": a hashed bag of words, L2-normalised. Texts sharing words
 * get similar vectors, which is all a retrieval test needs.
 */
export function hashedVector(text: string, dimension: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  for (const word of words(text)) {
    const h = fnv1a(word);
    v[h % dimension] += h & 0x80000000 ? -1 : 1;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  return v.map((x) => x / norm);
}
