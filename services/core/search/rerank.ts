import type { Reranker, RerankScore } from '../reranker/index.ts';
import type { ScoredChunk, SearchHit } from './types.ts';

/** The reranker chooses the top-k from more passages than that, so it can promote one retrieval ranked lower. */
const POOL_FACTOR = 2;
const POOL_MIN = 10;
const POOL_MAX = 50;
/** A cross-encoder reads a few hundred tokens per passage; longer text only costs transfer. */
const PASSAGE_CHARS = 2000;

/** How a search reranks its result, decided once before the cache is asked. */
export interface RerankPlan {
  /** Part of the result cache key: the rerank model when it will be asked, `-` otherwise. */
  key: string;
  /** How many passages to retrieve. */
  pool: number;
  /**
   * The top-k passages, reordered by the reranker when it answers, in retrieval order when
   * it fails; `cacheable` is false when a reranked result was meant but not obtained.
   */
  apply(query: string, hits: SearchHit[]): Promise<{ hits: SearchHit[]; cacheable: boolean }>;
}

/** Plans the rerank of one search: none without a reranker, or while the gateway is known to lack it. */
export function planRerank(reranker: Reranker | undefined, topK: number): RerankPlan {
  if (!reranker?.available) {
    return { key: '-', pool: topK, apply: async (_query, hits) => ({ hits, cacheable: true }) };
  }
  return {
    key: reranker.model,
    pool: Math.min(POOL_MAX, Math.max(topK * POOL_FACTOR, POOL_MIN)),
    async apply(query, hits) {
      try {
        return { hits: await rerankHits(reranker, query, hits, topK), cacheable: true };
      } catch {
        // The reranker has logged why; the search answers in retrieval order instead.
        return { hits: topPassages(hits, topK), cacheable: false };
      }
    },
  };
}

interface Passage {
  hit: number;
  child: ScoredChunk;
}

const passagesOf = (hits: SearchHit[]): Passage[] =>
  hits.flatMap((h, hit) => h.children.map((child) => ({ hit, child })));

/**
 * Sends every passage of the result to the reranker in one request and keeps the best
 * `topK` by its scores. Each hit keeps its document and parent; hits are ordered by their
 * best passage, and a hit left with no passage drops out. A reranked passage's `score` is the
 * reranker's, with `reranked: true` and the retrieval score it replaced.
 */
export async function rerankHits(
  reranker: Reranker,
  query: string,
  hits: SearchHit[],
  topK: number,
): Promise<SearchHit[]> {
  const passages = passagesOf(hits);
  if (passages.length === 0) return hits;
  const scores = await reranker.rerank(
    query,
    passages.map((p) => p.child.content.slice(0, PASSAGE_CHARS)),
    Math.min(topK, passages.length),
  );
  return regroup(hits, passages, scores.slice(0, topK));
}

function regroup(hits: SearchHit[], passages: Passage[], scores: RerankScore[]): SearchHit[] {
  const byHit = new Map<number, ScoredChunk[]>();
  for (const { index, score } of scores) {
    const passage = passages[index];
    if (!passage) continue;
    const { child } = passage;
    const children = byHit.get(passage.hit) ?? [];
    children.push({ ...child, score, reranked: true, retrievalScore: child.score });
    byHit.set(passage.hit, children);
  }
  // A Map keeps insertion order: the hit of the best passage first.
  return [...byHit].flatMap(([hit, children]) => {
    const original = hits[hit];
    return original ? [{ ...original, children }] : [];
  });
}

/** The `topK` best passages by retrieval score, each under its hit, for a search whose rerank failed. */
export function topPassages(hits: SearchHit[], topK: number): SearchHit[] {
  const passages = passagesOf(hits);
  if (passages.length <= topK) return hits;
  const kept = new Set(
    [...passages]
      .sort((a, b) => b.child.score - a.child.score)
      .slice(0, topK)
      .map((p) => p.child),
  );
  return hits.flatMap((h) => {
    const children = h.children.filter((c) => kept.has(c));
    return children.length > 0 ? [{ ...h, children }] : [];
  });
}
