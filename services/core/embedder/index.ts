/** Turns texts into vectors. One model and dimension per instance. */
export interface Embedder {
  /** Model name; vectors of different models are never mixed. */
  readonly model: string;
  /** Vector length. */
  readonly dimension: number;
  /** Embeds in one call or in batches; returns L2-normalised vectors in input order. */
  embed(texts: string[]): Promise<Float32Array[]>;
  /**
   * Embeds a search query when queries are embedded differently from passages (the built-in
   * embedder weights query terms by the index's statistics); `embed` serves otherwise. A
   * query embedding that depends on the index is not cached.
   */
  embedQuery?(text: string): Promise<Float32Array>;
}
