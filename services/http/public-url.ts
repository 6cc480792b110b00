import type { Context } from 'hono';
import type { Config } from '../core/config.ts';

/**
 * The origin users reach this installation at: PUBLIC_URL when set, else the forwarded host
 * behind a trusted proxy, else the request's own origin. Used for links handed out (share links).
 */
export function publicBase(c: Context, config: Pick<Config, 'PUBLIC_URL' | 'TRUST_PROXY'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const url = new URL(c.req.url);
  const forwardedHost = c.req.header('x-forwarded-host');
  if (config.TRUST_PROXY && forwardedHost) {
    return `${c.req.header('x-forwarded-proto') ?? url.protocol.replace(':', '')}://${forwardedHost}`;
  }
  return url.origin;
}

/** The sign-up link of an invitation: the console's sign-up page. */
export const invitationLink = (base: string, token: string) => `${base}/signup?invitation=${token}`;

/** A password reset link: the console's reset page. */
export const resetLink = (base: string, token: string) => `${base}/reset-password?token=${token}`;
