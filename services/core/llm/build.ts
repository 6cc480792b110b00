import type { Config } from '../config.ts';
import { recordedDimension } from '../db/embedding-indexes.ts';
import type { Db } from '../db/index.ts';
import type { ReadinessCheck } from '../deps.ts';
import { createOneApiEmbedder, type OneApiEmbedder } from '../embedder/oneapi.ts';
import type { Logger } from '../logger.ts';
import type { Reranker } from '../reranker/index.ts';
import { createOneApiReranker } from '../reranker/oneapi.ts';
import { createOneApiSdk } from './connection.ts';
import type { ChatClient } from './index.ts';
import { createLimiter } from './limiter.ts';
import { createOpenAiChatClient } from './openai.ts';

/** The ONEAPI-backed parts of Deps; all empty when ONEAPI_BASE_URL is unset. */
export interface LlmParts {
  chat?: ChatClient;
  embedder?: OneApiEmbedder;
  /** Only when RERANK_MODEL is set. */
  reranker?: Reranker;
  /** Reports the gateway on /readyz without making it required: the embedded defaults still work. */
  readiness?: ReadinessCheck;
}

export function buildLlm(config: Config, logger: Logger): LlmParts {
  if (!config.ONEAPI_BASE_URL) return {};
  const sdk = createOneApiSdk(config);
  // Separate limits, so a large upload's embedding batches never queue a user's chat behind them.
  const log = logger.child({ component: 'oneapi' });
  const chat = createOpenAiChatClient({ sdk, limiter: createLimiter(config.ONEAPI_CONCURRENCY), logger: log });
  const embedder = createOneApiEmbedder({
    sdk,
    limiter: createLimiter(config.ONEAPI_CONCURRENCY),
    logger: log,
    model: config.EMBEDDING_MODEL,
    dimension: config.EMBEDDING_DIMENSION,
  });
  // Its own limit too: a search's rerank never waits behind chat answers or embedding batches.
  const reranker = config.RERANK_MODEL
    ? createOneApiReranker({
        sdk,
        limiter: createLimiter(config.ONEAPI_CONCURRENCY),
        logger: log,
        model: config.RERANK_MODEL,
        config,
      })
    : undefined;
  return {
    chat,
    embedder,
    reranker,
    readiness: { name: 'oneapi', required: false, check: () => chat.health() },
  };
}

/**
 * Gives the ONEAPI embedder its dimension before a vector store is built for it: from
 * EMBEDDING_DIMENSION, else from the stored index of that model, else by asking the gateway once.
 */
export async function resolveEmbeddingDimension(embedder: OneApiEmbedder, db: Db): Promise<void> {
  if (embedder.dimension > 0) return;
  const recorded = recordedDimension(db, embedder.model);
  if (recorded) return embedder.assumeDimension(recorded);
  try {
    await embedder.ensureDimension();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `EMBEDDING_DIMENSION: not set and ONEAPI could not be asked for the dimension of ${embedder.model} (${why}); set it or start ONEAPI first`,
    );
  }
}
