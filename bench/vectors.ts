/** The engines `npm run bench:search` compares, each run by `search-engine.ts`. */
export const ENGINES = [
  'exact',
  'sqlite-vec-bit',
  'hnsw',
  'usearch',
  'lancedb-flat',
  'lancedb-ivf-pq',
  'lancedb-ivf-hnsw-sq',
] as const;

/**
 * Clustered unit vectors like embeddings of a large KB: 1 topic per 1000 points, 10 subtopics
 * each, every point its subtopic plus noise. Point `i` depends on `i` alone, so any engine can
 * generate the same data batch by batch without holding all of it.
 */
export function clusteredVector(i: number, dim: number, n: number): Float32Array {
  const topics = Math.max(1, Math.round(n / 1000));
  const topic = i % topics;
  const sub = Math.floor(i / topics) % 10;
  const t = gaussians(1_000_003 + topic, dim);
  const s = gaussians(2_000_003 + topic * 10 + sub, dim);
  const e = gaussians(10_000_019 + i, dim);
  const v = new Float32Array(dim);
  let norm = 0;
  for (let j = 0; j < dim; j++) {
    v[j] = t[j] + 0.6 * s[j] + 0.5 * e[j];
    norm += v[j] * v[j];
  }
  norm = Math.sqrt(norm);
  for (let j = 0; j < dim; j++) v[j] /= norm;
  return v;
}

/** Query `q`: a fresh point near a data point's subtopic, not one of the data points. */
export function queryVector(q: number, dim: number, n: number): Float32Array {
  return clusteredVector(n + 1 + q * 7919, dim, n);
}

/** xorshift32 from a mixed seed, so neighbouring seeds give unrelated streams. */
function mixed(seed: number): () => number {
  let s = Math.imul(seed ^ (seed >>> 16), 0x45d9f3b);
  s = Math.imul(s ^ (s >>> 16), 0x45d9f3b);
  s = (s ^ (s >>> 16)) | 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function gaussians(seed: number, dim: number): Float32Array {
  const random = mixed(seed);
  const out = new Float32Array(dim);
  for (let j = 0; j < dim; j += 2) {
    const r = Math.sqrt(-2 * Math.log(random() + 1e-12));
    const a = 2 * Math.PI * random();
    out[j] = r * Math.cos(a);
    if (j + 1 < dim) out[j + 1] = r * Math.sin(a);
  }
  return out;
}

/** Points `from` to `to` (exclusive) as one flat array. */
export function batch(from: number, to: number, dim: number, n: number): Float32Array {
  const out = new Float32Array((to - from) * dim);
  for (let i = from; i < to; i++) out.set(clusteredVector(i, dim, n), (i - from) * dim);
  return out;
}
