import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Where a request came from and what it addressed, as the user's side of any proxy sees it. */
export interface RequestOrigin {
  protocol: 'http' | 'https';
  /** Host and port the client addressed, e.g. `kb.example.com` or `localhost:3000`. */
  host: string;
  /** The caller's IP address, or `unknown` where the transport tells none (in-process requests). */
  clientIp: string;
}

/** The value the nearest proxy set: the last entry of a comma-separated header. */
const nearest = (value: string | undefined) => value?.split(',').at(-1)?.trim() || undefined;

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The one reading of forwarded headers. Behind a trusted proxy (TRUST_PROXY=true) its
 * `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-For` (or `X-Real-IP`) count; otherwise
 * they are a client's claim and ignored: the origin check, the cookie's `Secure` flag, the
 * address a sign-in budget is charged to and links handed out all come from here.
 */
export function requestOrigin(c: Context, trustProxy: boolean): RequestOrigin {
  const url = new URL(c.req.url);
  const own: RequestOrigin = {
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    host: c.req.header('host') || url.host,
    clientIp: socketAddress(c),
  };
  if (!trustProxy) return own;
  const proto = nearest(c.req.header('x-forwarded-proto'))?.toLowerCase();
  return {
    protocol: proto === 'https' || proto === 'http' ? proto : own.protocol,
    host: nearest(c.req.header('x-forwarded-host')) ?? own.host,
    clientIp: nearest(c.req.header('x-forwarded-for')) ?? nearest(c.req.header('x-real-ip')) ?? own.clientIp,
  };
}
