import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { Dict, Locale } from './i18n/index.ts';

/** Context variables of the console: the shared ones plus the chosen language. */
export interface AdminEnv {
  Variables: AppEnv['Variables'] & { t: Dict; locale: Locale };
}

export type AdminContext = Context<AdminEnv>;

/** True for requests htmx made (not boosted navigation, which wants whole pages). */
export const isHtmx = (c: Context) => c.req.header('hx-request') === 'true' && c.req.header('hx-boosted') !== 'true';
