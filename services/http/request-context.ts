import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../core/logger.ts';
import type { AppEnv } from './env.ts';

const VALID_ID = /^[\w.-]{1,64}$/;

/** Paths whose later segments are secrets (share tokens) and are not logged. */
const maskPath = (path: string) => path.replace(/^(\/shared\/notes\/)[^/]+/, '$1[token]');

/**
 * Gives each request an id (honouring a sane incoming X-Request-Id), a child logger
 * carrying it, and one access-log line when the response is done.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async function requestContext(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && VALID_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', log);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: maskPath(c.req.path),
      status,
      ms: Math.round(performance.now() - started),
    };
    if (status >= 500) log.error(line, 'request failed');
    else if (c.req.path !== '/healthz') log.info(line, 'request');
  };
}
