import type { Schemas } from '@qdrant/js-client-rest';

/** Dimensions from which binary quantization keeps enough of a vector (Qdrant's guidance: 1024 and up). */
export const BINARY_FROM_DIMENSION = 1024;

/** How a collection of this dimension is quantized and how searches rescore. */
export interface QdrantSizing {
  quantization: Schemas['QuantizationConfig'];
  search: Schemas['QuantizationSearchParams'];
  /** Bytes of RAM per point for the quantized vector (the originals stay on disk). */
  ramBytesPerVector: number;
}

/**
 * Follows Qdrant's quantization guidance for a host with little RAM: the quantized vectors in
 * RAM, the float originals and the HNSW graph on disk, every search rescored with the
 * originals. Binary quantization (1 bit per dimension, 32x smaller) from 1024 dimensions, where
 * embeddings such as bge-m3 or text-embedding-3 keep their order through it when the search
 * oversamples 3x before rescoring; int8 scalar quantization (4x smaller, 2x oversampling)
 * below, where one bit per dimension loses too much. At 1M points of 1024 dimensions that is
 * 128 MB of RAM instead of 1 GB (int8) or 4 GB (floats).
 */
export function qdrantSizing(dimension: number): QdrantSizing {
  if (dimension >= BINARY_FROM_DIMENSION) {
    return {
      quantization: { binary: { always_ram: true } },
      search: { rescore: true, oversampling: 3 },
      ramBytesPerVector: Math.ceil(dimension / 8),
    };
  }
  return {
    quantization: { scalar: { type: 'int8', quantile: 0.99, always_ram: true } },
    search: { rescore: true, oversampling: 2 },
    ramBytesPerVector: dimension,
  };
}

/** The kind of quantization a collection has (`binary`, `scalar`, ...), from its configuration. */
export function quantizationKind(config: unknown): string | undefined {
  if (!config || typeof config !== 'object') return undefined;
  return Object.keys(config)[0];
}
