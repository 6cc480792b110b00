/** How relevant one of the documents sent is to the query; `index` is its position in the request. */
export interface RerankScore {
  index: number;
  score: number;
}

/** A cross-encoder reached through ONEAPI's rerank endpoint (Jina/Cohere shape). */
export interface Reranker {
  readonly model: string;
  /**
   * False while the gateway is known to lack the endpoint or the model: searches skip
   * reranking meanwhile instead of asking again on every query.
   */
  readonly available: boolean;
  /** Scores `documents` against `query`, best first, at most `topN`; throws an AppError on failure. */
  rerank(query: string, documents: string[], topN: number): Promise<RerankScore[]>;
}
