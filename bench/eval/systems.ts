import { search } from '../../services/core/search/index.ts';
import type { SearchMode } from '../../services/core/search/types.ts';
import { bm25Passages, type EvalKb, type Passage } from './kb.ts';

/** One retrieval system under evaluation: a name for the table and the passages it returns, best first. */
export interface EvalSystem {
  name: string;
  passages(kb: EvalKb, query: string, topK: number): Promise<Passage[]>;
}

/** A mode of the public search, `hybrid` off or on; its passages are the hits' children in order. */
function searchSystem(mode: SearchMode, hybrid: boolean): EvalSystem {
  return {
    name: hybrid ? `${mode} + hybrid` : mode,
    async passages(kb, query, topK) {
      const { hits } = await search(kb.deps, { userId: kb.userId }, { kbId: kb.kbId, query, mode, topK, hybrid });
      return hits.flatMap((h) =>
        h.children.map((c) => ({ id: c.id, content: c.content, fileName: h.document.fileName })),
      );
    },
  };
}

/** The baseline the table is read against: plain FTS5 BM25 over the KB's child chunks. */
export const BASELINE: EvalSystem = {
  name: 'bm25 (children)',
  passages: async (kb, query, topK) => bm25Passages(kb, query, topK),
};

/** Every system of a run, the baseline first. Add a mode or a reranker here with one line. */
export const SYSTEMS: EvalSystem[] = [
  BASELINE,
  searchSystem('drill-down', false),
  searchSystem('drill-down', true),
  searchSystem('drill-down-relaxed', false),
  searchSystem('drill-down-relaxed', true),
  searchSystem('flat', false),
  searchSystem('flat', true),
];

/** The system the product uses when a client names no mode: what the small eval holds to the baseline. */
export const DEFAULT_SYSTEM = 'drill-down + hybrid';
