/** The usual RRF constant: damps the head so one list cannot dominate. */
export const RRF_K = 60;

/** A ranked candidate at one layer. */
export interface Ranked {
  id: string;
  documentId: string;
  parentId: string | null;
  score: number;
}

/**
 * Reciprocal rank fusion: each list adds 1 / (RRF_K + rank) to an id's score.
 * Ids keep the metadata of their first appearance; ties keep first-list order.
 */
export function fuse(lists: Ranked[][], limit: number): Ranked[] {
  const fused = new Map<string, Ranked>();
  for (const list of lists) {
    list.forEach((item, index) => {
      const add = 1 / (RRF_K + index + 1);
      const seen = fused.get(item.id);
      if (seen) seen.score += add;
      else fused.set(item.id, { ...item, score: add });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, limit);
}
