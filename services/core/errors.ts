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

/** The one error type of Context OS: a code, a message safe to show, an HTTP status. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`, 404);

export const forbidden = (message: string) => new AppError('forbidden', message, 403);
