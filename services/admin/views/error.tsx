import type { ErrorHandler, NotFoundHandler } from 'hono';
import { type AppError, type ErrorCode, notFound } from '../../core/errors.ts';
import { statusOf, toAppError } from '../../http/errors.ts';
import type { AdminEnv } from '../env.ts';
import { type Dict, dictionaries, type MessageKey, translate } from '../i18n/index.ts';
import { fragment, isHtmx, page, redirectTo } from './render.tsx';

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

/**
 * The message a person reads for an error: translated when the code is a known one; a failed
 * validation names the field and its (translated) problem, like the API's message.
 */
export function errorMessage(t: Dict, e: AppError): string {
  const key = messages[e.code];
  if (key) return t[key];
  const issues = e.code === 'validation_failed' ? e.details?.issues : undefined;
  const first = Array.isArray(issues) ? (issues[0] as { path?: unknown; message?: unknown }) : undefined;
  if (typeof first?.message === 'string') return `${String(first.path ?? '')}: ${translate(t, first.message)}`;
  return e.message;
}

/** An alert box; htmx requests get it swapped into the page's flash region. */
export function ErrorBox({ t, message }: { t: Dict; message: string }) {
  return (
    <div class="alert alert-error" role="alert">
      <strong>{t.errorTitle}:</strong> {message}
    </div>
  );
}

/** `onError` of the console: an error fragment or page, never JSON; anonymous callers go to log in. */
export const consoleErrorHandler: ErrorHandler<AdminEnv> = (err, c) => {
  const e = toAppError(err, c);
  const status = statusOf(e);
  if (status === 401) return redirectTo(c, `/login?next=${encodeURIComponent(c.req.path)}`);
  const t = c.get('t') ?? dictionaries.en;
  const message = errorMessage(t, e);
  if (isHtmx(c)) {
    c.header('HX-Retarget', '#flash');
    c.header('HX-Reswap', 'innerHTML');
    return fragment(c, <ErrorBox t={t} message={message} />, status);
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
    status,
  );
};

/** Unknown console paths render the not-found page. */
export const consoleNotFound: NotFoundHandler<AdminEnv> = (c) => consoleErrorHandler(notFound('Page'), c);
