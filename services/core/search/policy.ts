import { COMMON_WORDS, type CommonWords } from '../db/text-search.ts';
import type { FusionWeights } from './evidence.ts';

/** How many documents and sections a drill-down keeps before it reads their passages. */
export interface DrillShape {
  /** At most this many documents. */
  documents: number;
  /** At most this many sections, across those documents. */
  sections: number;
  /** A document or section is kept while its evidence is at least this share of the best one's. */
  keep: number;
}

/** The constants of retrieval, measured on the evaluation set (`npm run eval`), in one place. */
export interface RetrievalPolicy {
  /** BM25 against vectors within one layer. */
  fusion: FusionWeights;
  /** BM25 weight of a chunk's heading words against its body's 1. */
  headingWeight: number;
  /** Where a word is too common to choose full-text rows (see `COMMON_WORDS`). */
  commonWords: CommonWords;
  /** What a section's own match adds to each of its passages. */
  sectionWeight: number;
  /** What a document's summary match adds to each of its passages. */
  documentWeight: number;
  /** Candidates taken from each ranking, per layer. */
  pools: { document: number; parent: number; child: number };
  /**
   * Where a store without an approximate index (the exact scan) still searches children by
   * vector across the whole KB: at most this many. Stores with one always do.
   */
  wideVectorChildren: number;
  drillDown: DrillShape;
  relaxed: DrillShape;
}

export const DEFAULT_POLICY: RetrievalPolicy = {
  // The built-in embedder ranks below BM25 on the evaluation set: it adds a little, no more.
  fusion: { text: 1, vector: 0.15 },
  headingWeight: 0.3,
  commonWords: COMMON_WORDS,
  sectionWeight: 0.1,
  documentWeight: 0.05,
  pools: { document: 20, parent: 40, child: 100 },
  wideVectorChildren: 20_000,
  drillDown: { documents: 3, sections: 4, keep: 0.6 },
  relaxed: { documents: 5, sections: 8, keep: 0.3 },
};
