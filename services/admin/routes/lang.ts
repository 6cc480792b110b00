import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AdminEnv } from '../env.ts';
import { isLocale, LOCALE_COOKIE } from '../i18n/index.ts';

/** The language switch: remembers the choice for a year and goes back where the user was. */
export function langRoutes() {
  return new Hono<AdminEnv>().post('/', async (c) => {
    const body = await c.req.parseBody();
    if (isLocale(body.lang)) {
      setCookie(c, LOCALE_COOKIE, body.lang, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
    }
    // Browsers read `/\host` and `/<tab>/host` as `//host`: only plain paths on this site go back.
    const back =
      typeof body.back === 'string' && /^\/(?![/\\])/.test(body.back) && !/[\\\p{Cc}]/u.test(body.back)
        ? body.back
        : '/';
    return c.redirect(back, 303);
  });
}
