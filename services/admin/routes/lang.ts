import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AdminEnv } from '../env.ts';
import { isLocale, LOCALE_COOKIE } from '../i18n/index.ts';
import { safeLocalPath } from '../safe-path.ts';

/** The language switch: remembers the choice for a year and goes back where the user was. */
export function langRoutes() {
  return new Hono<AdminEnv>().post('/', async (c) => {
    const body = await c.req.parseBody();
    if (isLocale(body.lang)) {
      setCookie(c, LOCALE_COOKIE, body.lang, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
    }
    const back = safeLocalPath(body.back, '/');
    return c.redirect(back, 303);
  });
}
