import type { DocumentMetadata } from '../db/schema.ts';
import type { MetadataFilterInput } from './filter.ts';

export const searchModes = ['drill-down', 'drill-down-relaxed', 'flat'] as const;
export type SearchMode = (typeof searchModes)[number];

export interface SearchRequest {
  kbId: string;
  query: string;
  mode?: SearchMode;
  topK?: number;
  hybrid?: boolean;
  /** Only documents whose metadata meets these conditions are searched, in every layer. */
  filter?: { metadata?: MetadataFilterInput };
}

export interface ScoredChunk {
  id: string;
  content: string;
  score: number;
  /** Set when a reranker (RERANK_MODEL) scored the passage: `score` is then the reranker's. */
  reranked?: true;
  /** With `reranked`: the retrieval score the reranker's replaced. */
  retrievalScore?: number;
}

/** Why a passage was chosen: its BM25 and vector scores (when either found it) and what its section and document added. */
export interface PassageSignals {
  text?: number;
  vector?: number;
  section: number;
  document: number;
}

export interface ScoredPassage extends ScoredChunk {
  signals?: PassageSignals;
}

/** One hit of the public contract: a document, the parent section inside it, its best passages. */
export interface SearchHit {
  document: { id: string; fileName: string; summary: string; score: number; metadata: DocumentMetadata };
  parent: ScoredChunk;
  children: ScoredPassage[];
}

export interface SearchResult {
  mode: SearchMode;
  query: string;
  tookMs: number;
  hits: SearchHit[];
}
