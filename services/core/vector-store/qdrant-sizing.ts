import type { Schemas } from '@qdrant/js-client-rest';
import { OVERSAMPLING, quantizationFor } from './quantization.ts';

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
 * originals; binary (1 bit per dimension, 32x smaller) or int8 (4x smaller) by dimension, as
 * `quantizationFor` chooses. At 1M points of 1024 dimensions that is 128 MB of RAM instead of
 * 1 GB (int8) or 4 GB (floats).
 */
export function qdrantSizing(dimension: number): QdrantSizing {
  const kind = quantizationFor(dimension);
  if (kind === 'binary') {
    return {
      quantization: { binary: { always_ram: true } },
      search: { rescore: true, oversampling: OVERSAMPLING.binary },
      ramBytesPerVector: Math.ceil(dimension / 8),
    };
  }
  return {
    quantization: { scalar: { type: 'int8', quantile: 0.99, always_ram: true } },
    search: { rescore: true, oversampling: OVERSAMPLING.int8 },
    ramBytesPerVector: dimension,
  };
}

/** The kind of quantization a collection has (`binary`, `scalar`, ...), from its configuration. */
export function quantizationKind(config: unknown): string | undefined {
  if (!config || typeof config !== 'object') return undefined;
  return Object.keys(config)[0];
}
