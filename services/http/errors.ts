import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { AppError, type ErrorCode, validationError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';

/** The HTTP status of every error code: the one table. */
export const codeToStatus: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  validation_failed: 400,
  url_refused: 400,
  invalid_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_rejected: 403,
  account_disabled: 403,
  signup_closed: 403,
  invitation_invalid: 403,
  reset_link_invalid: 403,
  wrong_password: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  payload_too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
  internal_error: 500,
  llm_error: 502,
  llm_unavailable: 503,
  dependency_unavailable: 503,
  search_unavailable: 503,
  llm_timeout: 504,
};

/** The status an error answers with (a code from another service that is unknown here: 500). */
export const statusOf = (err: AppError): ContentfulStatusCode => codeToStatus[err.code] ?? 500;

/** The code of an HTTPException Hono throws itself, by its status. */
const honoCodes: Partial<Record<number, ErrorCode>> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_type',
  429: 'rate_limited',
};

/** The one error body of the public contract. */
export function errorBody(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown) {
  return { error: { code, message, requestId: c.get('requestId'), ...(details !== undefined && { details }) } };
}

/**
 * Converts anything thrown into an AppError: a ZodError is a 400, an HTTPException keeps its
 * meaning, anything else is logged and becomes a 500. The JSON and the console's HTML error
 * paths both start here.
 */
export function toAppError(err: unknown, c: Context): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.core.$ZodError) return validationError(err);
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message))
      return new AppError('invalid_json', 'Request body is not valid JSON');
    const code = honoCodes[err.status] ?? (err.status >= 500 ? 'internal_error' : 'bad_request');
    return new AppError(code, err.message || code);
  }
  c.get('logger')?.error({ err }, 'unhandled error');
  return new AppError('internal_error', 'Something went wrong on our side');
}

/** `app.onError` for JSON APIs. */
export const jsonErrorHandler: ErrorHandler<AppEnv> = (err, c) => {
  const e = toAppError(err, c);
  const retryAfter = e.code === 'rate_limited' ? e.details?.retryAfter : undefined;
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  return c.json(errorBody(c, e.code, e.message, e.code === 'rate_limited' ? undefined : e.details), statusOf(e));
};

export const jsonNotFound: NotFoundHandler<AppEnv> = (c) =>
  c.json(errorBody(c, 'not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
