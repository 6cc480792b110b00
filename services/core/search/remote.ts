import type { Config } from '../config.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import type { SearchRequest, SearchResult } from './types.ts';

/** How long the gateway waits for the search service before answering 503. */
export const REMOTE_TIMEOUT_MS = 5000;

/** The search service's internal endpoint, relative to SEARCH_URL. */
export const INTERNAL_SEARCH_PATH = '/internal/search';

/**
 * Calls the search service over HTTP. Its 4xx answers come back as the same AppError
 * (404 for another user's KB); no answer, a timeout or a 5xx is a 503 `search_unavailable`.
 */
export async function remoteSearch(
  config: Pick<Config, 'SEARCH_URL' | 'INTERNAL_TOKEN'>,
  userId: string,
  req: SearchRequest,
  timeoutMs = REMOTE_TIMEOUT_MS,
): Promise<SearchResult> {
  const url = new URL(INTERNAL_SEARCH_PATH, config.SEARCH_URL);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.INTERNAL_TOKEN ?? ''}` },
      body: JSON.stringify({ userId, ...req }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const why = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'is unreachable';
    throw new AppError('search_unavailable', `Search service ${why}`);
  }
  const body = (await res.json().catch(() => undefined)) as
    | (SearchResult & { error?: { code: ErrorCode; message: string } })
    | undefined;
  if (res.ok && body) return body;
  if (res.status >= 400 && res.status < 500 && res.status !== 401 && body?.error) {
    throw new AppError(body.error.code, body.error.message);
  }
  throw new AppError('search_unavailable', `Search service answered ${res.status}`);
}
