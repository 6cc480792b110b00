import type { Db } from '../db/index.ts';
import type { ChunkLayer } from '../db/schema.ts';
import { type Proximity, searchText, type TextHit, type WordPlan } from '../db/text-search.ts';
import type { VectorHit, VectorStore } from '../vector-store/index.ts';

/** Everything one retrieval needs: where to look and the query in both forms. */
export interface LayerContext {
  db: Db;
  store: VectorStore;
  userId: string;
  kbId: string;
  /**
   * The query's embedding, made on first use and kept: a hybrid search with the built-in
   * embedder, whose vectors do not count beside full text, never makes it.
   */
  vector: () => Promise<Float32Array>;
  /** The text's words (`planWords()`); none when it has no searchable words. */
  words: WordPlan;
  /** Full-text ranking on (BM25 fused with vectors) or off (vectors alone). */
  hybrid: boolean;
  /** BM25 weight of heading words against body words (the policy's). */
  headingWeight: number;
  /** BM25 against vectors in each layer: the policy's weights for the embedder in use. */
  fusion: FusionWeights;
  /**
   * The KB's passages and all KBs' (`passageCounts()`), read once per search: the exact store
   * scans a small KB's passages, full text leaves out the token of a KB holding most.
   */
  passages: { kb: number; all: number };
  /** The bonus for query words close together in a passage (the policy's); none when absent. */
  proximity?: Proximity;
  /**
   * The documents a metadata filter leaves; every ranking of every layer stays inside them,
   * so the filter applies before scoring. Undefined: the whole KB.
   */
  documentIds?: string[];
}

/** What was seen of one chunk: its raw scores and the fused score of its layer (0 to 1). */
export interface Scored {
  id: string;
  documentId: string;
  parentId: string | null;
  /** Fused relevance within its layer for this query, 1 for the layer's best. */
  score: number;
  /** BM25 relevance (higher is better) when the full-text search found it. */
  text?: number;
  /** Cosine similarity when the vector search found it. */
  vector?: number;
}

export interface Narrowing {
  documentIds?: string[];
  parentIds?: string[];
}

/** How much each ranking counts when a layer's two rankings are fused. */
export interface FusionWeights {
  text: number;
  vector: number;
}

/**
 * Fuses a layer's BM25 and vector rankings: each score is divided by the best of its list (so
 * both run 0 to 1 whatever their scale), weighted and summed, then divided again by the best
 * fused score. A chunk only one list found gets nothing from the other. Unlike rank fusion
 * this keeps the margins: a passage far ahead on BM25 stays far ahead.
 */
export function fuseLayer(text: TextHit[], vector: VectorHit[], weights: FusionWeights): Scored[] {
  const out = new Map<string, Scored>();
  const add = (hits: Array<TextHit | VectorHit>, kind: 'text' | 'vector', weight: number) => {
    const best = hits.reduce((m, h) => Math.max(m, h.score), 0);
    if (!(best > 0)) return;
    for (const h of hits) {
      const seen = out.get(h.id) ?? { id: h.id, documentId: h.documentId, parentId: h.parentId, score: 0 };
      seen[kind] = h.score;
      seen.score += (weight * Math.max(0, h.score)) / best;
      out.set(h.id, seen);
    }
  };
  // A ranking on its own counts fully, whatever its weight beside the other.
  const alone = text.length === 0 || vector.length === 0;
  add(text, 'text', alone ? 1 : weights.text);
  add(vector, 'vector', alone ? 1 : weights.vector);
  const list = [...out.values()];
  const top = list.reduce((m, s) => Math.max(m, s.score), 0);
  if (top > 0) for (const s of list) s.score /= top;
  return list.sort((a, b) => b.score - a.score);
}

/** Which chunks of a layer each ranking looks at, and how many it returns (0: that ranking is skipped). */
export interface LayerQuery {
  text: { limit: number; within?: Narrowing };
  vector: { limit: number; within?: Narrowing };
}

/** A ranking's narrowing inside the filter's documents: the two document lists intersected. */
function filtered(ctx: LayerContext, within: Narrowing | undefined): Narrowing | undefined {
  if (!ctx.documentIds) return within;
  if (!within?.documentIds) return { ...within, documentIds: ctx.documentIds };
  const allowed = new Set(ctx.documentIds);
  return { ...within, documentIds: within.documentIds.filter((id) => allowed.has(id)) };
}

/**
 * One layer's chunks ranked by both BM25 and vectors, fused. Each ranking has its own scope:
 * full text is cheap across the whole KB, vectors may be narrowed to where the other layers
 * point. Full text is skipped without `hybrid` or without searchable words.
 */
export async function rankLayer(ctx: LayerContext, layer: ChunkLayer, q: LayerQuery): Promise<Scored[]> {
  const scope = { userId: ctx.userId, kbId: ctx.kbId, layer };
  const vectorWithin = filtered(ctx, q.vector.within);
  const textWithin = filtered(ctx, q.text.within);
  const byText =
    ctx.hybrid && ctx.words.terms.length > 0 && q.text.limit > 0
      ? searchText(ctx.db, {
          kbId: ctx.kbId,
          layer,
          words: ctx.words,
          ...textWithin,
          limit: q.text.limit,
          headingWeight: ctx.headingWeight,
          // Passages only: on sections too it cost the default mode three answers@5 of zh-dev's 78.
          proximity: layer === 'child' ? ctx.proximity : undefined,
          kbShare: ctx.passages.all > 0 ? ctx.passages.kb / ctx.passages.all : 0,
        })
      : [];
  // Vectors that would count for nothing are not searched; they still rank when full text found nothing.
  const wanted = q.vector.limit > 0 && (ctx.fusion.vector > 0 || byText.length === 0);
  const byVector = wanted
    ? await ctx.store.search(await ctx.vector(), { ...scope, ...vectorWithin }, q.vector.limit)
    : [];
  return fuseLayer(byText, byVector, ctx.fusion);
}
