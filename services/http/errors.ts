import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode } from '../core/errors.ts';
import type { AppEnv } from './env.ts';

/** The one error body of the public contract. */
export function errorBody(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown) {
  return { error: { code, message, requestId: c.get('requestId'), ...(details !== undefined && { details }) } };
}

const statusCodes: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_type',
  429: 'rate_limited',
};

/** Converts anything thrown into an AppError; unknown errors become a logged 500. */
export function toAppError(err: unknown, c: Context<AppEnv>): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    const malformed = err.status === 400 && /json/i.test(err.message);
    const code = malformed ? 'invalid_json' : (statusCodes[err.status] ?? 'bad_request');
    return new AppError(code, malformed ? 'Request body is not valid JSON' : err.message || code, err.status);
  }
  c.get('logger')?.error({ err }, 'unhandled error');
  return new AppError('internal_error', 'Something went wrong on our side', 500);
}

/** `app.onError` for JSON APIs. */
export const jsonErrorHandler: ErrorHandler<AppEnv> = (err, c) => {
  const e = toAppError(err, c);
  if (e.status === 429 && e.details && typeof e.details === 'object' && 'retryAfter' in e.details) {
    c.header('Retry-After', String(e.details.retryAfter));
  }
  return c.json(
    errorBody(c, e.code, e.message, e.status === 429 ? undefined : e.details),
    e.status as ContentfulStatusCode,
  );
};

export const jsonNotFound: NotFoundHandler<AppEnv> = (c) =>
  c.json(errorBody(c, 'not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
