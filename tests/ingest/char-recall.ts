/**
 * The share of a reference text's characters that a recognised text recovers, in order: the
 * longest common subsequence of the two over the reference's length. Whitespace is ignored and
 * both sides are NFKC-normalised, so a full-width "：" and an ASCII ":" count as one character.
 */
export function charRecall(reference: string, recognised: string): number {
  const norm = (s: string) => [...s.normalize('NFKC').replace(/\s+/g, '')];
  const a = norm(reference);
  const b = norm(recognised);
  if (a.length === 0) return 1;
  let prev = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Uint32Array(b.length + 1);
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? (prev[j - 1] ?? 0) + 1 : Math.max(prev[j] ?? 0, cur[j - 1] ?? 0);
    }
    prev = cur;
  }
  return (prev[b.length] ?? 0) / a.length;
}
