import OpenAI from 'openai';
import type { Config } from '../config.ts';

/** `http://host:3000`, `http://host:3000/`, `http://host:3000/v1/` all become `http://host:3000/v1`. */
export function normaliseBaseUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

export type OneApiConfig = Pick<Config, 'ONEAPI_BASE_URL' | 'ONEAPI_KEY' | 'ONEAPI_TIMEOUT_MS' | 'ONEAPI_MAX_RETRIES'>;

/**
 * The `openai` client pointed at ONEAPI. It retries 408/409/429/5xx and connection errors with
 * exponential backoff (honouring Retry-After) and aborts each attempt after the timeout.
 * Its own logging is off: our logger is the only one, and it redacts the key.
 */
export function createOneApiSdk(config: OneApiConfig): OpenAI {
  if (!config.ONEAPI_BASE_URL) throw new Error('ONEAPI_BASE_URL is not set');
  return new OpenAI({
    baseURL: normaliseBaseUrl(config.ONEAPI_BASE_URL),
    // The SDK insists on a key; a gateway without auth ignores this placeholder.
    apiKey: config.ONEAPI_KEY ?? 'no-key',
    timeout: config.ONEAPI_TIMEOUT_MS,
    maxRetries: config.ONEAPI_MAX_RETRIES,
    logLevel: 'off',
  });
}
