import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sign, verify } from 'hono/jwt';
import { userForApiKey } from '../core/auth/api-keys.ts';
import { isTokenRevoked, newTokenId, revokeToken } from '../core/auth/sessions.ts';
import { findUser, type PublicUser } from '../core/auth/users.ts';
import type { Db } from '../core/db/index.ts';
import { AppError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';

export const SESSION_COOKIE = 'cos_session';
const TOKEN_TTL_S = 7 * 24 * 3600;

export interface AuthDeps {
  db: Db;
  jwtSecret: string;
}

/** A signed session token for the user. */
export function issueToken(secret: string, user: PublicUser): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign({ sub: user.id, role: user.role, jti: newTokenId(), iat: now, exp: now + TOKEN_TTL_S }, secret, 'HS256');
}

const isHttps = (c: Context) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    path: '/',
    maxAge: TOKEN_TTL_S,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
}

async function verifiedClaims(deps: AuthDeps, token: string) {
  try {
    const payload = await verify(token, deps.jwtSecret, 'HS256');
    if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      return undefined;
    }
    if (isTokenRevoked(deps.db, payload.jti)) return undefined;
    return { sub: payload.sub, jti: payload.jti, exp: payload.exp };
  } catch {
    return undefined;
  }
}

async function userFromJwt(deps: AuthDeps, token: string): Promise<PublicUser | undefined> {
  const claims = await verifiedClaims(deps, token);
  const user = claims && findUser(deps.db, claims.sub);
  return user && !user.disabled ? user : undefined;
}

function presentedToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return getCookie(c, SESSION_COOKIE);
}

/** Logout: revokes the session token the request carries (cookie or Bearer JWT) and clears the cookie. */
export async function endSession(c: Context, deps: AuthDeps): Promise<void> {
  const token = presentedToken(c);
  const claims = token ? await verifiedClaims(deps, token) : undefined;
  if (claims) revokeToken(deps.db, claims.jti, claims.exp);
  clearSessionCookie(c);
}

/**
 * Resolves the caller from `Authorization: Bearer <jwt or API key>` or the session cookie
 * and sets `user`; leaves it unset for anonymous requests. A Bearer token that does not
 * verify is remembered, so `requireUser` can say so, while public routes (login) still work.
 */
export function identify(deps: AuthDeps): MiddlewareHandler<AppEnv> {
  return async function identify(c, next) {
    const header = c.req.header('authorization');
    if (header?.toLowerCase().startsWith('bearer ')) {
      const token = header.slice(7).trim();
      const apiKeyUser = userForApiKey(deps.db, token);
      const user = apiKeyUser ?? (await userFromJwt(deps, token));
      if (user) {
        c.set('user', user);
        c.set('authMethod', apiKeyUser ? 'api_key' : 'jwt');
      } else {
        c.set('authFailure', 'Invalid or revoked token');
      }
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      const user = cookie ? await userFromJwt(deps, cookie) : undefined;
      if (user) {
        c.set('user', user);
        c.set('authMethod', 'cookie');
      }
    }
    await next();
  };
}

/** Refuses anonymous requests with 401. Use after `identify`. */
export const requireUser: MiddlewareHandler<AppEnv> = async function requireUser(c, next) {
  if (!c.get('user')) throw new AppError('unauthenticated', c.get('authFailure') ?? 'Sign in first', 401);
  await next();
};
