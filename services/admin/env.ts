import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { Dict, Locale } from './i18n/index.ts';

/** Context variables of the console: the shared ones plus the chosen language. */
export interface AdminEnv {
  Variables: AppEnv['Variables'] & { t: Dict; locale: Locale };
}

export type AdminContext = Context<AdminEnv>;
