import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { type ErrorCode, notFound } from '../../core/errors.ts';
import type { AppEnv } from '../../http/env.ts';
import { toAppError } from '../../http/errors.ts';
import { type AdminEnv, isHtmx } from '../env.ts';
import { type Dict, dictionaries, type MessageKey } from '../i18n/index.ts';
import { fragment, page, redirectTo } from './render.tsx';

const messages: Partial<Record<ErrorCode, MessageKey>> = {
  not_found: 'errNotFound',
  forbidden: 'errForbidden',
  csrf_rejected: 'errCsrf',
  rate_limited: 'errRateLimited',
  payload_too_large: 'errTooLarge',
  unsupported_type: 'errUnsupported',
  url_refused: 'errUrlRefused',
  dependency_unavailable: 'errUnavailable',
  search_unavailable: 'errUnavailable',
  llm_unavailable: 'errUnavailable',
  llm_timeout: 'errUnavailable',
  llm_error: 'errUnavailable',
  internal_error: 'errInternal',
  invalid_json: 'errBadRequest',
};

/** The message a person reads for an error: translated when the code is a known one. */
export function errorMessage(t: Dict, code: ErrorCode, fallback: string): string {
  const key = messages[code];
  return key ? t[key] : fallback;
}

/** An alert box; htmx requests get it swapped into the page's flash region. */
export function ErrorBox({ t, message }: { t: Dict; message: string }) {
  return (
    <div class="alert alert-error" role="alert">
      <strong>{t.errorTitle}:</strong> {message}
    </div>
  );
}

/** Anything thrown in the console as an AppError (unknown errors are logged and become a 500). */
export const asAppError = (err: unknown, c: Context<AdminEnv>) =>
  // The console's context carries every variable the shared handler reads.
  toAppError(err, c as unknown as Context<AppEnv>);

/** `onError` of the console: an error fragment or page, never JSON; anonymous callers go to log in. */
export const consoleErrorHandler: ErrorHandler<AdminEnv> = (err, c) => {
  const e = asAppError(err, c);
  if (e.status === 401) return redirectTo(c, `/login?next=${encodeURIComponent(c.req.path)}`);
  const t = c.get('t') ?? dictionaries.en;
  const message = errorMessage(t, e.code, e.message);
  if (isHtmx(c)) {
    c.header('HX-Retarget', '#flash');
    c.header('HX-Reswap', 'innerHTML');
    return fragment(c, <ErrorBox t={t} message={message} />, e.status as 400);
  }
  return page(
    c,
    t.errorTitle,
    <section class="narrow">
      <h1>{t.errorTitle}</h1>
      <ErrorBox t={t} message={message} />
      <p>
        <a href="/kbs">{t.goHome}</a>
      </p>
    </section>,
    e.status as 400,
  );
};

/** Unknown console paths render the not-found page. */
export const consoleNotFound: NotFoundHandler<AdminEnv> = (c) => consoleErrorHandler(notFound('Page'), c);
