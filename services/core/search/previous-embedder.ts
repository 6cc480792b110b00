import type { Config } from '../config.ts';
import { termStatistics } from '../db/chunk-index.ts';
import type { Db } from '../db/index.ts';
import type { Embedder } from '../embedder/index.ts';
import { createLocalEmbedder, LOCAL_EMBEDDING_MODELS } from '../embedder/local.ts';
import { createOneApiEmbedder } from '../embedder/oneapi.ts';
import { createOneApiSdk } from '../llm/connection.ts';
import { createLimiter } from '../llm/limiter.ts';
import type { Logger } from '../logger.ts';

/** Builds an embedder for a model that is no longer the configured one; undefined when it cannot. */
export type EmbedderResolver = (model: string, dimension: number) => Embedder | undefined;

/**
 * Embedders for the queries of an index still active while the configured model is built: local
 * models are rebuilt from their name, other models reached through ONEAPI when it is configured.
 */
export function previousEmbedderResolver(parts: { config: Config; db: Db; logger: Logger }): EmbedderResolver {
  return (model, dimension) => {
    if (LOCAL_EMBEDDING_MODELS.includes(model)) {
      return createLocalEmbedder({ model, dimension, statistics: (terms) => termStatistics(parts.db, terms) });
    }
    if (!parts.config.ONEAPI_BASE_URL) return undefined;
    const sdk = createOneApiSdk(parts.config);
    const limiter = createLimiter(parts.config.ONEAPI_CONCURRENCY);
    return createOneApiEmbedder({ sdk, limiter, logger: parts.logger, model, dimension });
  };
}
