import { createHash } from 'node:crypto';
import { z } from 'zod';
import { kbAccess, type Principal } from '../access/index.ts';
import { passageCounts } from '../db/chunk-index.ts';
import { kbGeneration } from '../db/kb-generation.ts';
import { documentsMatching } from '../db/metadata-filter.ts';
import { compactText, reanalyseStaleText } from '../db/text-maintenance.ts';
import { planWords } from '../db/text-search.ts';
import type { Deps } from '../deps.ts';
import { validationError } from '../errors.ts';
import { queryTerms } from '../text/tokenize.ts';
import { metadataFilterSchema, normalizeFilter } from './filter.ts';
import { hydrate } from './hydrate.ts';
import { DEFAULT_POLICY, fusionFor } from './policy.ts';
import { remoteSearch } from './remote.ts';
import { planRerank } from './rerank.ts';
import { retrieveIds } from './retrieve.ts';
import { type SearchRequest, type SearchResult, searchModes } from './types.ts';

/**
 * Brings the indexes up to this version in the background, at start: full text written by an
 * older text analysis is re-analysed, each layer's full-text index is merged into one b-tree,
 * retired embedding indexes left by an interrupted switch are dropped, the vector store's
 * approximate indexes are loaded or rebuilt, and a changed embedding model is re-embedded (searches keep using the old vectors until the new ones are
 * complete). `deps.close()` stops it at its next step.
 */
export async function maintainIndexes(deps: Deps): Promise<void> {
  const index = deps.embeddingIndex;
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    if (index.signal.aborted) return;
    try {
      await fn();
    } catch (err) {
      deps.logger.error({ err: err instanceof Error ? err.message : String(err) }, `${what} failed`);
    }
  };
  await attempt('full-text re-analysis', () => reanalyseStaleText(deps, index.signal));
  await attempt('full-text merge', () => compactText(deps, index.signal));
  await attempt('dropping retired embedding indexes', () => index.retire());
  await attempt('vector index preparation', () => deps.vectors.prepare());
  await attempt('re-embedding', () => index.rebuild());
}

export const MAX_TOP_K = 50;
/** The longest query a search takes. */
export const MAX_QUERY_CHARS = 2000;
const RESULT_TTL_SECONDS = 600;
const EMBEDDING_TTL_SECONDS = 86_400;

/** The search request as the API accepts it; defaults filled in. */
export const searchRequestSchema = z.object({
  kbId: z.string().trim().min(1).max(100),
  query: z.string().trim().min(1, 'must not be empty').max(MAX_QUERY_CHARS),
  mode: z.enum(searchModes).default('drill-down'),
  topK: z.number().int().min(1).max(MAX_TOP_K).default(5),
  hybrid: z.boolean().default(true),
  filter: z
    .object({ metadata: metadataFilterSchema.optional() })
    .optional()
    .describe('Narrows the search to documents whose metadata meets the conditions, before any ranking'),
});

function parse(req: SearchRequest): z.infer<typeof searchRequestSchema> {
  const parsed = searchRequestSchema.safeParse(req);
  if (parsed.success) return parsed.data;
  throw validationError(parsed.error);
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 32);

/**
 * Searches a KB the caller may read: through the search service when SEARCH_URL is set,
 * in this process otherwise. A KB the caller is not a member of (or their key cannot reach)
 * is a 404; bad input a 400; a search service that does not answer a 503 `search_unavailable`.
 */
export async function search(deps: Deps, who: Principal, req: SearchRequest): Promise<SearchResult> {
  if (!deps.config.SEARCH_URL) return searchLocal(deps, who, req);
  const parsed = parse(req);
  // The key's limits are known here only; the search service checks the membership again.
  kbAccess(deps.db, who, parsed.kbId, 'read');
  return remoteSearch(deps.config, who.userId, parsed);
}

/**
 * Searches in this process. Query embeddings and results are cached; a result is keyed by
 * the KB's content generation, so it dies with any change to the KB's documents.
 */
export async function searchLocal(deps: Deps, who: Principal, req: SearchRequest): Promise<SearchResult> {
  const started = performance.now();
  const { kbId, query, mode, topK, hybrid, filter } = parse(req);
  // Checked before the cache: a removed member's next search is refused, cached results included.
  // The KB's vectors and chunks live under its creator's id, whoever the member searching is.
  const { userId } = kbAccess(deps.db, who, kbId, 'read');
  const index = await deps.embeddingIndex.searched();
  const model = `${index.embedder.model}:${index.store.dimension}`;
  const rerank = planRerank(deps.reranker, topK);
  const variant = `${model}|${mode}|${topK}|${hybrid}|${rerank.key}|${JSON.stringify(filter ?? null)}|${query}`;
  const resultKey = `cos:res:${kbId}:${kbGeneration(deps.db, kbId)}:${hash(variant)}`;
  const embeddingKey = `cos:emb:${hash(`${model}|${query}`)}`;
  // A query embedding that depends on the index (the built-in embedder's) is never cached.
  const remoteEmbedding = !index.embedder.embedQuery;
  const [cachedResult, cachedVector] = await deps.cache.getMany(
    remoteEmbedding ? [resultKey, embeddingKey] : [resultKey],
  );
  const took = () => Math.round((performance.now() - started) * 100) / 100;
  if (cachedResult) return { ...(JSON.parse(cachedResult) as SearchResult), tookMs: took() };
  // The filter becomes the documents it leaves, and every ranking of every layer stays inside them.
  const documentIds = filter?.metadata ? documentsMatching(deps.db, kbId, normalizeFilter(filter.metadata)) : undefined;
  if (documentIds?.length === 0) return { mode, query, tookMs: took(), hits: [] };

  const embedQuery = async (): Promise<Float32Array> => {
    if (index.embedder.embedQuery) return index.embedder.embedQuery(query);
    if (cachedVector) return new Float32Array(new Uint8Array(Buffer.from(cachedVector, 'base64')).buffer);
    const [vector] = await index.embedder.embed([query]);
    deps.cache.set(
      embeddingKey,
      Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64'),
      EMBEDDING_TTL_SECONDS,
    );
    return vector;
  };
  let embedded: Promise<Float32Array> | undefined;
  const vector = () => {
    embedded ??= embedQuery();
    return embedded;
  };
  const passages = passageCounts(deps.db, kbId);
  const ctx = {
    db: deps.db,
    store: index.store,
    userId,
    kbId,
    vector,
    words: planWords(deps.db, hybrid ? queryTerms(query) : [], DEFAULT_POLICY.commonWords, passages),
    hybrid,
    headingWeight: DEFAULT_POLICY.headingWeight,
    proximity: DEFAULT_POLICY.proximity,
    fusion: fusionFor(index.embedder),
    passages,
    documentIds,
  };
  const retrieved = hydrate(deps.db, userId, kbId, await retrieveIds(ctx, mode, rerank.pool));
  const { hits, cacheable } = await rerank.apply(query, retrieved);
  const result: SearchResult = { mode, query, tookMs: 0, hits };
  if (cacheable) deps.cache.set(resultKey, JSON.stringify(result), RESULT_TTL_SECONDS);
  return { ...result, tookMs: took() };
}
