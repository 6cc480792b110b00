import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AdminEnv } from '../env.ts';
import { readFields } from '../forms.ts';
import { isLocale, LOCALE_COOKIE } from '../i18n/index.ts';
import { safeLocalPath } from '../safe-path.ts';

const switchSchema = z.object({ lang: z.string().optional(), back: z.string().optional() });

/** The language switch: remembers the choice for a year and goes back where the user was. */
export function langRoutes() {
  return new Hono<AdminEnv>().post('/', async (c) => {
    const { lang, back } = await readFields(c, switchSchema);
    if (isLocale(lang)) setCookie(c, LOCALE_COOKIE, lang, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });
    return c.redirect(safeLocalPath(back, '/'), 303);
  });
}
