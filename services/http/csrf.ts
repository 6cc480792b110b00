import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Config } from '../core/config.ts';
import { AppError } from '../core/errors.ts';
import { SESSION_COOKIE } from './auth.ts';
import type { AppEnv } from './env.ts';
import { requestOrigin } from './forwarded.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostOf(source: string): string | undefined {
  try {
    return new URL(source).host;
  } catch {
    return undefined;
  }
}

/**
 * Refuses unsafe requests from another origin that carry the session cookie or come from a
 * browser (login CSRF). Bearer-authenticated requests are not exposed to CSRF and pass. The
 * origin is taken from `Origin`, else `Referer`; a browser that sends neither is judged by
 * `Sec-Fetch-Site`. Our own host is PUBLIC_URL's or the one the request addressed (a forwarded
 * host only from a trusted proxy).
 */
export function csrfGuard(config: Pick<Config, 'PUBLIC_URL' | 'TRUST_PROXY'>): MiddlewareHandler<AppEnv> {
  const allowed = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).host : undefined;
  return async function csrfGuard(c, next) {
    const bearer = c.req.header('authorization')?.toLowerCase().startsWith('bearer ');
    if (SAFE.has(c.req.method) || bearer) return next();
    const source = c.req.header('origin') ?? c.req.header('referer');
    // Without the cookie only a browser's request is judged (it names its origin): a login or
    // sign-up forged from another site would otherwise sign the victim in to the forger's account.
    if (!getCookie(c, SESSION_COOKIE) && !source && !c.req.header('sec-fetch-site')) return next();
    let sameOrigin: boolean;
    if (source && source !== 'null') {
      const host = hostOf(source);
      sameOrigin = host !== undefined && (host === requestOrigin(c, config.TRUST_PROXY).host || host === allowed);
    } else {
      const site = c.req.header('sec-fetch-site');
      sameOrigin = source !== 'null' && (site === undefined || site === 'same-origin' || site === 'none');
    }
    if (!sameOrigin) throw new AppError('csrf_rejected', 'Cross-origin request refused');
    return next();
  };
}
