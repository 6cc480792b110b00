import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { MAX_QUERY_CHARS, search } from '../search/index.ts';
import type { SearchHit } from '../search/types.ts';
import type { Citation } from './types.ts';

/** What the prompt is built from: the hits of the drill-down and one citation per child passage. */
export interface RetrievedContext {
  hits: SearchHit[];
  citations: Citation[];
}

const TOP_K = 5;

/**
 * Retrieves with the drill-down search (document, then parent, then children); when the
 * drill-down finds nothing it retries flat, so a question still meets the best passages.
 */
export async function retrieveContext(
  deps: Deps,
  who: Principal,
  kbId: string,
  question: string,
): Promise<RetrievedContext> {
  // A chat message may be longer than a search query; its start says what it is about.
  const query = question.slice(0, MAX_QUERY_CHARS);
  let result = await search(deps, who, { kbId, query, mode: 'drill-down', topK: TOP_K, hybrid: true });
  if (result.hits.length === 0) {
    result = await search(deps, who, { kbId, query, mode: 'flat', topK: TOP_K, hybrid: true });
  }
  return { hits: result.hits, citations: citationsOf(result.hits) };
}

/** Numbers every child passage across the hits, in rank order. */
export function citationsOf(hits: SearchHit[]): Citation[] {
  const citations: Citation[] = [];
  for (const hit of hits) {
    for (const child of hit.children) {
      citations.push({
        index: citations.length + 1,
        documentId: hit.document.id,
        parentId: hit.parent.id,
        childId: child.id,
        fileName: hit.document.fileName,
        quote: child.content,
        score: child.score,
      });
    }
  }
  return citations;
}
