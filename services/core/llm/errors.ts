import OpenAI from 'openai';
import { AppError } from '../errors.ts';

/**
 * Maps whatever the `openai` client threw into the AppError the API shows: 504 `llm_timeout`,
 * 503 `llm_unavailable` (unreachable, rate limited or overloaded after retries) or 502
 * `llm_error` (the gateway refused or broke the request). Messages never carry the key.
 */
export function toLlmError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    return new AppError('llm_timeout', 'The LLM gateway did not answer in time');
  }
  if (err instanceof OpenAI.APIUserAbortError) {
    return new AppError('llm_unavailable', 'The LLM request was cancelled');
  }
  if (err instanceof OpenAI.APIConnectionError) {
    return new AppError('llm_unavailable', 'The LLM gateway is unreachable');
  }
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? 0;
    if (status === 429 || status === 502 || status === 503 || status === 504) {
      return new AppError('llm_unavailable', `The LLM gateway is busy or down (HTTP ${status})`);
    }
    return new AppError('llm_error', `The LLM gateway refused the request (HTTP ${status || 'error'})`);
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return new AppError('llm_unavailable', 'The LLM request was cancelled');
  }
  return new AppError('llm_error', 'The LLM gateway answered something unexpected');
}
