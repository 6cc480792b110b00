import type { z } from 'zod';

/** Machine-readable error codes a client can branch on. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'invalid_json'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'forbidden'
  | 'csrf_rejected'
  | 'account_disabled'
  | 'not_found'
  | 'conflict'
  | 'email_taken'
  | 'signup_closed'
  | 'invitation_invalid'
  | 'reset_link_invalid'
  | 'wrong_password'
  | 'payload_too_large'
  | 'unsupported_type'
  | 'url_refused'
  | 'rate_limited'
  | 'llm_error'
  | 'llm_unavailable'
  | 'llm_timeout'
  | 'dependency_unavailable'
  | 'search_unavailable'
  | 'internal_error';

/**
 * The one error type of Context OS: a code a client can branch on and a message safe to show.
 * The HTTP status follows from the code (`codeToStatus` in services/http/errors.ts).
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

export const forbidden = (message: string) => new AppError('forbidden', message);

/**
 * The one mapping of a failed zod parse: 400 `validation_failed`, a message naming the first
 * bad field (`where` stands in for the root), every issue in `details`.
 */
export function validationError(error: z.core.$ZodError, where = 'body'): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  return new AppError('validation_failed', first ? `${first.path || where}: ${first.message}` : 'Invalid request', {
    issues,
  });
}
