import type { Context, ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Citation } from '../../core/chat/types.ts';
import { countTokens } from '../../core/text/tokenize.ts';
import type { AppEnv } from '../../http/env.ts';
import { statusOf, toAppError } from '../../http/errors.ts';

const ERROR_TYPES: Partial<Record<number, string>> = {
  401: 'authentication_error',
  403: 'permission_error',
  429: 'rate_limit_error',
};

const errorType = (status: number) => ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');

/** OpenAI's error shape, `{error:{message,type,code,param}}`, for everything under `/v1`. */
export function openAiError(c: Context<AppEnv>, status: number, code: string, message: string) {
  return c.json({ error: { message, type: errorType(status), code, param: null } }, status as ContentfulStatusCode);
}

export const openAiErrorHandler: ErrorHandler<AppEnv> = (err, c) => {
  const e = toAppError(err, c);
  return openAiError(c, statusOf(e), e.code, e.message);
};

const seconds = () => Math.floor(Date.now() / 1000);

/** A whole `chat.completion`; `citations` is an extra field OpenAI clients ignore. */
export function completion(id: string, model: string, prompt: string, content: string, citations?: Citation[]) {
  const promptTokens = countTokens(prompt);
  const completionTokens = countTokens(content);
  return {
    id,
    object: 'chat.completion' as const,
    created: seconds(),
    model,
    choices: [{ index: 0, message: { role: 'assistant' as const, content }, finish_reason: 'stop', logprobs: null }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    ...(citations && { citations }),
  };
}

/** One `chat.completion.chunk` of a stream. */
export function chunk(
  id: string,
  model: string,
  delta: { role?: 'assistant'; content?: string },
  finish: 'stop' | null,
  citations?: Citation[],
) {
  return JSON.stringify({
    id,
    object: 'chat.completion.chunk',
    created: seconds(),
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    ...(citations && { citations }),
  });
}
