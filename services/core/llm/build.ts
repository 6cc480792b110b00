import type { Config } from '../config.ts';
import type { ReadinessCheck } from '../deps.ts';
import { createOneApiEmbedder, type OneApiEmbedder } from '../embedder/oneapi.ts';
import type { Logger } from '../logger.ts';
import { createOneApiSdk } from './connection.ts';
import type { ChatClient } from './index.ts';
import { createLimiter } from './limiter.ts';
import { createOpenAiChatClient } from './openai.ts';

/** The ONEAPI-backed parts of Deps; all empty when ONEAPI_BASE_URL is unset. */
export interface LlmParts {
  chat?: ChatClient;
  embedder?: OneApiEmbedder;
  /** Reports the gateway on /readyz without making it required: the embedded defaults still work. */
  readiness?: ReadinessCheck;
}

export function buildLlm(config: Config, logger: Logger): LlmParts {
  if (!config.ONEAPI_BASE_URL) return {};
  const sdk = createOneApiSdk(config);
  // One limit shared by chat and embeddings: it protects the gateway, whichever call it is.
  const limiter = createLimiter(config.ONEAPI_CONCURRENCY);
  const log = logger.child({ component: 'oneapi' });
  const chat = createOpenAiChatClient({ sdk, limiter, logger: log });
  const embedder = createOneApiEmbedder({
    sdk,
    limiter,
    logger: log,
    model: config.EMBEDDING_MODEL,
    dimension: config.EMBEDDING_DIMENSION,
  });
  return { chat, embedder, readiness: { name: 'oneapi', required: false, check: () => chat.health() } };
}
