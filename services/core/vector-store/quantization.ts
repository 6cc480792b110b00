/**
 * How vectors are quantized where they are held in memory, the same rule for our HNSW index and
 * for Qdrant: one bit per dimension from 1024 dimensions, where embeddings such as bge-m3 or
 * text-embedding-3 keep their order through it when a search oversamples 3x and rescores with
 * the float originals (Qdrant's guidance); int8 below, where one bit per dimension loses too
 * much, with 2x oversampling.
 */
export type Quantization = 'binary' | 'int8';

/** Dimensions from which binary quantization keeps enough of a vector. */
export const BINARY_FROM_DIMENSION = 1024;

export const quantizationFor = (dimension: number): Quantization =>
  dimension >= BINARY_FROM_DIMENSION ? 'binary' : 'int8';

/** Candidates rescored with the float originals per result wanted. */
export const OVERSAMPLING: Record<Quantization, number> = { binary: 3, int8: 2 };
