import type OpenAI from 'openai';
import { AppError } from '../errors.ts';
import { toLlmError } from '../llm/errors.ts';
import type { Limiter } from '../llm/limiter.ts';
import type { Logger } from '../logger.ts';
import type { Embedder } from './index.ts';

export interface OneApiEmbedderOptions {
  sdk: OpenAI;
  limiter: Limiter;
  logger: Logger;
  model: string;
  /** Known up front from config; otherwise learnt from the first response. */
  dimension?: number;
  /** Texts per request; 64 by default. */
  batchSize?: number;
}

/** An Embedder whose `dimension` is 0 until configured or learnt from the first response. */
export interface OneApiEmbedder extends Embedder {
  /** Embeds one probe text if needed and returns the dimension. */
  ensureDimension(): Promise<number>;
  /** Adopts a dimension known from elsewhere (a stored index) when none is set yet. */
  assumeDimension(dimension: number): void;
}

function normalise(values: number[]): Float32Array {
  const v = Float32Array.from(values);
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

/** Embeddings through ONEAPI: batched, concurrency-bounded, retried by the SDK, L2-normalised. */
export function createOneApiEmbedder(opts: OneApiEmbedderOptions): OneApiEmbedder {
  const { sdk, limiter, logger, model } = opts;
  const batchSize = opts.batchSize ?? 64;
  let dimension = opts.dimension ?? 0;

  const embedBatch = (batch: string[]) =>
    limiter.run(async () => {
      let res: OpenAI.CreateEmbeddingResponse;
      try {
        res = await sdk.embeddings.create({ model, input: batch, encoding_format: 'float' });
      } catch (err) {
        const mapped = toLlmError(err);
        logger.warn({ code: mapped.code, model, batch: batch.length }, mapped.message);
        throw mapped;
      }
      const rows = [...res.data].sort((a, b) => a.index - b.index);
      if (rows.length !== batch.length) {
        throw new AppError('llm_error', `Embedding gateway returned ${rows.length} vectors for ${batch.length}`);
      }
      return rows.map((row) => {
        const length = row.embedding.length;
        if (dimension === 0) dimension = length;
        if (length !== dimension) {
          throw new AppError('llm_error', `Embedding model ${model} returned ${length} dimensions, not ${dimension}`);
        }
        return normalise(row.embedding);
      });
    });

  const embedder: OneApiEmbedder = {
    model,
    get dimension() {
      return dimension;
    },
    async embed(texts) {
      if (texts.length === 0) return [];
      const batches: string[][] = [];
      // An empty input is refused by most gateways; a single space embeds to "nothing".
      const cleaned = texts.map((t) => (t.trim() === '' ? ' ' : t));
      for (let i = 0; i < cleaned.length; i += batchSize) batches.push(cleaned.slice(i, i + batchSize));
      const results = await Promise.all(batches.map(embedBatch));
      return results.flat();
    },
    assumeDimension(known) {
      if (dimension === 0) dimension = known;
    },
    async ensureDimension() {
      if (dimension === 0) await embedder.embed(['dimension probe']);
      return dimension;
    },
  };
  return embedder;
}
