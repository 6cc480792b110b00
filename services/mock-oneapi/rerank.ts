import { words } from './vectors.ts';

/**
 * The mock's deterministic relevance: the share of the query's distinct words that the
 * document contains, plus a little for how often they occur, so ties still have an order.
 */
export function overlapScore(query: string, document: string): number {
  const wanted = new Set(words(query));
  if (wanted.size === 0) return 0;
  let matched = 0;
  let occurrences = 0;
  const counts = new Map<string, number>();
  for (const w of words(document)) counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const w of wanted) {
    const n = counts.get(w) ?? 0;
    if (n > 0) matched += 1;
    occurrences += n;
  }
  return matched / wanted.size + occurrences / (occurrences + 100);
}

/** Indexes of `documents`, best first by `overlapScore`, with their scores; at most `topN`. */
export function rankByOverlap(query: string, documents: string[], topN: number) {
  return documents
    .map((text, index) => ({ index, relevance_score: overlapScore(query, text), document: { text } }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
    .slice(0, topN);
}
