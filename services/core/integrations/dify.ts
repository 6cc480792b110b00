import { z } from 'zod';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { metadataFilterSchema } from '../search/filter.ts';
import { MAX_QUERY_CHARS, MAX_TOP_K, search } from '../search/index.ts';
import type { SearchHit } from '../search/types.ts';

/** The body of Dify's External Knowledge API request, as Dify documents it. */
export const difyRetrievalSchema = z.object({
  knowledge_id: z.string().trim().min(1).max(100).describe('The knowledge base id (the External Knowledge ID in Dify)'),
  query: z.string().trim().min(1, 'must not be empty').max(MAX_QUERY_CHARS),
  retrieval_setting: z.object({
    top_k: z.number().int().min(1).describe(`Records to return; more than ${MAX_TOP_K} are capped to ${MAX_TOP_K}`),
    score_threshold: z.number().min(0).max(1).default(0).describe('Records scoring below it are left out (0 to 1)'),
  }),
  metadata_condition: metadataFilterSchema.nullish(),
});
export type DifyRetrieval = z.infer<typeof difyRetrievalSchema>;

/** One record of Dify's answer: the passage, its score (0 to 1), its document's title and metadata. */
export const difyRecordSchema = z.object({
  content: z.string(),
  score: z.number().min(0).max(1),
  title: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
export type DifyRecord = z.infer<typeof difyRecordSchema>;

/**
 * Searches the KB named by `knowledge_id` (it must be readable by the caller) and answers its
 * passages as Dify's records, best first. The metadata condition narrows the search itself, so
 * `top_k` records are found inside the matching documents, not cut from a wider search.
 */
export async function difyRetrieve(deps: Deps, who: Principal, req: DifyRetrieval): Promise<DifyRecord[]> {
  const result = await search(deps, who, {
    kbId: req.knowledge_id,
    query: req.query,
    topK: Math.min(req.retrieval_setting.top_k, MAX_TOP_K),
    ...(req.metadata_condition && { filter: { metadata: req.metadata_condition } }),
  });
  return records(result.hits)
    .filter((r) => r.score >= req.retrieval_setting.score_threshold)
    .slice(0, req.retrieval_setting.top_k);
}

/** Each passage of the hits as a record; its metadata is the document's plus where the passage sits. */
export function records(hits: SearchHit[]): DifyRecord[] {
  const out = hits.flatMap((hit) =>
    hit.children.map((child) => ({
      content: child.content,
      score: Math.max(0, Math.min(1, child.score)),
      title: hit.document.fileName,
      metadata: {
        ...hit.document.metadata,
        document_id: hit.document.id,
        file_name: hit.document.fileName,
        section_id: hit.parent.id,
        chunk_id: child.id,
      },
    })),
  );
  return out.sort((a, b) => b.score - a.score);
}
