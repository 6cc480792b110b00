import type { Context } from 'hono';
import type { Config } from '../core/config.ts';
import { requestOrigin } from './forwarded.ts';

/**
 * The origin users reach this installation at: PUBLIC_URL when set, else what the request
 * addressed (a trusted proxy's forwarded host and protocol included). Used for links handed out.
 */
export function publicBase(c: Context, config: Pick<Config, 'PUBLIC_URL' | 'TRUST_PROXY'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const { protocol, host } = requestOrigin(c, config.TRUST_PROXY);
  return `${protocol}://${host}`;
}

/** The sign-up link of an invitation: the console's sign-up page. */
export const invitationLink = (base: string, token: string) => `${base}/signup?invitation=${token}`;

/** A password reset link: the console's reset page. */
export const resetLink = (base: string, token: string) => `${base}/reset-password?token=${token}`;
