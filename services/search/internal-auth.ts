import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Lets through only callers presenting `Authorization: Bearer <INTERNAL_TOKEN>`, compared in
 * constant time. Without a configured token nothing gets in.
 */
export function internalAuth(token: string | undefined): MiddlewareHandler<AppEnv> {
  const expected = token ? digest(token) : undefined;
  return async function internalAuth(c, next) {
    const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!expected || !given || !timingSafeEqual(digest(given), expected)) {
      throw new AppError('unauthenticated', 'Internal token missing or wrong');
    }
    await next();
  };
}
