import OpenAI from 'openai';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { toLlmError } from '../llm/errors.ts';
import type { Limiter } from '../llm/limiter.ts';
import type { Logger } from '../logger.ts';
import type { Reranker, RerankScore } from './index.ts';

export interface OneApiRerankerOptions {
  sdk: OpenAI;
  limiter: Limiter;
  logger: Logger;
  model: string;
  config: Pick<Config, 'ONEAPI_TIMEOUT_MS' | 'ONEAPI_MAX_RETRIES'>;
  /** Clock, for tests of the back-off. */
  now?: () => number;
}

/**
 * Rerank sits on the search path, and the gateway waits 5 s for the search service: two
 * attempts of at most 2 s each fit inside that with the rest of the search.
 */
const ATTEMPT_TIMEOUT_MS = 2000;
const MAX_RETRIES = 1;
/** A gateway without rerank is asked again this much later, in case it gained it. */
const UNSUPPORTED_RECHECK_MS = 10 * 60_000;
/** After a failure, searches skip rerank this long rather than each paying for the failure. */
const FAILURE_BACKOFF_MS = 30_000;

const responseSchema = z.object({
  results: z.array(z.object({ index: z.number().int().min(0), relevance_score: z.number() })),
});

/** What a gateway without the endpoint, or without the model, answers. */
const UNKNOWN_MODEL =
  /model.*(not (found|exist|support)|unknown|unsupported|no available)|(unknown|unsupported|invalid) model|无可用渠道|不存在|不支持/i;

function lacksRerank(err: unknown): boolean {
  if (!(err instanceof OpenAI.APIError) || err instanceof OpenAI.APIConnectionError) return false;
  const status = err.status ?? 0;
  if (status === 404 || status === 405 || status === 501) return true;
  return status >= 400 && (err.code === 'model_not_found' || UNKNOWN_MODEL.test(err.message));
}

/**
 * Reranks through ONEAPI's `POST /v1/rerank` (`{model, query, documents, top_n}` answered by
 * `{results: [{index, relevance_score}]}`), with the client's key, bounded concurrency and
 * short, capped timeouts. A gateway that lacks it is logged once and skipped until rechecked.
 */
export function createOneApiReranker(opts: OneApiRerankerOptions): Reranker {
  const { sdk, limiter, logger, model } = opts;
  const now = opts.now ?? (() => Date.now());
  const timeout = Math.min(opts.config.ONEAPI_TIMEOUT_MS, ATTEMPT_TIMEOUT_MS);
  const maxRetries = Math.min(opts.config.ONEAPI_MAX_RETRIES, MAX_RETRIES);
  let skipUntil = 0;
  let reportedMissing = false;

  const failed = (err: unknown): never => {
    if (lacksRerank(err)) {
      skipUntil = now() + UNSUPPORTED_RECHECK_MS;
      const status = err instanceof OpenAI.APIError ? err.status : undefined;
      if (!reportedMissing) {
        logger.warn({ model, status }, 'ONEAPI cannot rerank with this model; searching without rerank');
      } else logger.debug({ model, status }, 'ONEAPI still cannot rerank');
      reportedMissing = true;
      throw new AppError('llm_error', `ONEAPI cannot rerank with ${model}`);
    }
    skipUntil = now() + FAILURE_BACKOFF_MS;
    const mapped = toLlmError(err);
    logger.warn({ code: mapped.code, model, what: 'rerank' }, mapped.message);
    throw mapped;
  };

  return {
    model,
    get available() {
      return now() >= skipUntil;
    },
    rerank(query, documents, topN) {
      if (documents.length === 0) return Promise.resolve([]);
      return limiter.run(async () => {
        let body: unknown;
        try {
          body = await sdk.post('/rerank', {
            body: { model, query, documents, top_n: topN },
            timeout,
            maxRetries,
          });
        } catch (err) {
          return failed(err);
        }
        const parsed = responseSchema.safeParse(body);
        if (!parsed.success || parsed.data.results.some((r) => r.index >= documents.length)) {
          return failed(new AppError('llm_error', 'The rerank answer is not {results: [{index, relevance_score}]}'));
        }
        if (reportedMissing) logger.info({ model }, 'ONEAPI reranks again');
        reportedMissing = false;
        const seen = new Set<number>();
        const scores: RerankScore[] = [];
        for (const r of [...parsed.data.results].sort((a, b) => b.relevance_score - a.relevance_score)) {
          if (seen.has(r.index)) continue;
          seen.add(r.index);
          scores.push({ index: r.index, score: r.relevance_score });
        }
        return scores.slice(0, topN);
      });
    },
  };
}
