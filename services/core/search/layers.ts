import type { Db } from '../db/index.ts';
import type { ChunkLayer } from '../db/schema.ts';
import type { VectorStore } from '../vector-store/index.ts';
import { narrowText, type TextHit, textSearch } from './fts.ts';
import { fuse, type Ranked } from './rrf.ts';

/** Everything one retrieval needs: where to look and the query in both forms. */
export interface LayerContext {
  db: Db;
  store: VectorStore;
  userId: string;
  kbId: string;
  vector: Float32Array;
  /** `ftsQuery()` of the text; null when it has no searchable words. */
  match: string | null;
  hybrid: boolean;
  /** Full-text matches of the query, fetched once per search on first use. */
  textHits?: TextHit[];
}

/** How many full-text matches one search considers across all layers. */
const TEXT_CANDIDATES = 500;

export interface Narrowing {
  documentIds?: string[];
  parentIds?: string[];
}

/** Each list contributes this many candidates to the fusion, so a good item ranked lower in one list still counts. */
const candidatesFor = (limit: number) => Math.max(limit * 3, 20);

/**
 * The best `limit` chunks of one layer inside a narrowing: vector similarity alone, or
 * with `hybrid` the vector and BM25 rankings fused by reciprocal rank. The BM25 side comes
 * from the KB's best full-text matches over all layers, fetched once per search.
 */
export async function rankLayer(
  ctx: LayerContext,
  layer: ChunkLayer,
  narrowing: Narrowing,
  limit: number,
): Promise<Ranked[]> {
  const filter = { userId: ctx.userId, kbId: ctx.kbId, layer, ...narrowing };
  if (!ctx.hybrid || !ctx.match) return ctx.store.search(ctx.vector, filter, limit);
  const n = candidatesFor(limit);
  const byVector = await ctx.store.search(ctx.vector, filter, n);
  ctx.textHits ??= textSearch(ctx.db, ctx.match, ctx.kbId, TEXT_CANDIDATES);
  const byText = narrowText(ctx.textHits, filter, n);
  return fuse([byVector, byText], limit);
}

/** Vector similarity of given chunks of a layer: the scores shown for documents or parents found through their children. */
export async function scoreOf(
  ctx: LayerContext,
  layer: ChunkLayer,
  narrowing: Narrowing,
  limit: number,
): Promise<Map<string, Ranked>> {
  const hits = await ctx.store.search(ctx.vector, { userId: ctx.userId, kbId: ctx.kbId, layer, ...narrowing }, limit);
  return new Map(hits.map((h) => [layer === 'document' ? h.documentId : h.id, h]));
}
