import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AdminContext } from '../env.ts';
import { Layout } from './layout.tsx';

/** What a JSX expression renders to. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * True for a request htmx made to swap part of a page; boosted navigation and a history
 * restore want whole pages.
 */
export const isHtmx = (c: Context) =>
  c.req.header('hx-request') === 'true' &&
  c.req.header('hx-boosted') !== 'true' &&
  c.req.header('hx-history-restore-request') !== 'true';

/** Renders a whole page in the layout. */
export function page(c: AdminContext, title: string, body: Child, status: ContentfulStatusCode = 200) {
  const content = (
    <Layout t={c.get('t')} locale={c.get('locale')} user={c.get('user')} title={title} path={c.req.path}>
      {body}
    </Layout>
  );
  return c.html(html`<!doctype html>${content}`, status);
}

/** Renders a fragment for htmx to swap in. */
export function fragment(c: AdminContext, body: Html, status: ContentfulStatusCode = 200) {
  return c.html(body, status);
}

/**
 * The one answer of a console route that htmx may call: the fragment it swaps in, or for a
 * plain request (no JavaScript) whatever `whole` answers, usually the page around it.
 */
export function fragmentOrPage(
  c: AdminContext,
  part: Html,
  whole: () => Response | Promise<Response>,
  status: ContentfulStatusCode = 200,
) {
  return isHtmx(c) ? fragment(c, part, status) : whole();
}

/**
 * After a successful form post: a full navigation for htmx (HX-Redirect), a 303 redirect
 * otherwise.
 */
export function redirectTo(c: AdminContext, url: string) {
  if (isHtmx(c)) {
    c.header('HX-Redirect', url);
    return c.body(null, 204);
  }
  return c.redirect(url, 303);
}
