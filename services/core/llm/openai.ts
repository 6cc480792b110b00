import type OpenAI from 'openai';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { toLlmError } from './errors.ts';
import type { ChatClient, ChatMessage, ChatOptions } from './index.ts';
import type { Limiter } from './limiter.ts';

export interface OpenAiChatOptions {
  sdk: OpenAI;
  limiter: Limiter;
  logger: Logger;
  /** How long the model list is reused; 5 minutes by default. */
  modelsTtlMs?: number;
}

const HEALTH_TIMEOUT_MS = 2500;
/** The model list is small: a gateway that takes longer than this is treated as down. */
const MODELS_TIMEOUT_MS = 10_000;

/** The ChatClient over ONEAPI: bounded concurrency, SDK retries, errors mapped to AppError. */
export function createOpenAiChatClient(opts: OpenAiChatOptions): ChatClient {
  const { sdk, limiter, logger } = opts;
  const ttl = opts.modelsTtlMs ?? 5 * 60_000;
  let models: { at: number; ids: string[] } | undefined;
  let loading: Promise<string[]> | undefined;

  const fail = (err: unknown, what: string, model?: string): never => {
    const mapped = toLlmError(err);
    logger.warn({ code: mapped.code, model, what }, mapped.message);
    throw mapped;
  };

  const params = (messages: ChatMessage[], o: ChatOptions) => ({
    model: o.model,
    messages,
    ...(o.temperature !== undefined && { temperature: o.temperature }),
    ...(o.maxTokens !== undefined && { max_tokens: o.maxTokens }),
  });

  const requestOptions = (o: ChatOptions): OpenAI.RequestOptions => ({
    signal: o.signal,
    ...(o.timeoutMs !== undefined && { timeout: o.timeoutMs }),
    ...(o.maxRetries !== undefined && { maxRetries: o.maxRetries }),
  });

  const fetchModels = async (requestOpts?: OpenAI.RequestOptions): Promise<string[]> => {
    const ids: string[] = [];
    for await (const model of sdk.models.list(requestOpts)) ids.push(model.id);
    models = { at: Date.now(), ids };
    return ids;
  };

  return {
    complete(messages, o) {
      return limiter.run(async () => {
        try {
          const res = await sdk.chat.completions.create({ ...params(messages, o), stream: false }, requestOptions(o));
          return res.choices[0]?.message?.content ?? '';
        } catch (err) {
          return fail(err, 'chat', o.model);
        }
      });
    },

    async *stream(messages, o) {
      const release = await limiter.acquire();
      try {
        const stream = await sdk.chat.completions.create({ ...params(messages, o), stream: true }, requestOptions(o));
        let finished = false;
        for await (const chunk of stream) {
          const choice = chunk.choices[0];
          if (choice?.delta?.content) yield choice.delta.content;
          if (choice?.finish_reason) finished = true;
        }
        // A connection cut mid-answer ends the SDK's iteration quietly; a cut answer is no answer.
        if (!finished) throw new AppError('llm_error', 'The LLM stream ended before the answer was complete');
      } catch (err) {
        fail(err, 'chat stream', o.model);
      } finally {
        release();
      }
    },

    async listModels() {
      if (models && Date.now() - models.at < ttl) return models.ids;
      const quick = { timeout: Math.min(sdk.timeout, MODELS_TIMEOUT_MS), maxRetries: Math.min(sdk.maxRetries, 1) };
      loading ??= limiter
        .run(() => fetchModels(quick))
        .finally(() => {
          loading = undefined;
        });
      try {
        return await loading;
      } catch (err) {
        // A recent list beats an error while the gateway hiccups.
        if (models) return models.ids;
        return fail(err, 'models');
      }
    },

    async health() {
      try {
        const ids = await fetchModels({ timeout: HEALTH_TIMEOUT_MS, maxRetries: 0 });
        return { ok: true, detail: `${ids.length} models` };
      } catch (err) {
        return { ok: false, detail: toLlmError(err).message };
      }
    },
  };
}
