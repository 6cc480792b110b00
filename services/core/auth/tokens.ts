import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe secret (invitation, reset link, API key body). */
export const newSecret = (bytes = 24): string => randomBytes(bytes).toString('base64url');

/** What is stored instead of a secret: its sha256. Secrets are random, so no salt or slow hash is needed. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A secret as it may appear in a link: URL-safe, of a sane length. */
export const looksLikeSecret = (s: unknown): s is string => typeof s === 'string' && /^[\w-]{16,128}$/.test(s);
