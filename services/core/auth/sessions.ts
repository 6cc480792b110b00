import { randomUUID } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import { type Db, tables } from '../db/index.ts';

const { revokedTokens } = tables;

/** A fresh token id (`jti`). */
export const newTokenId = (): string => randomUUID();

/** Ends one session token before its expiry (logout). `expiresAt` is in seconds since the epoch. */
export function revokeToken(db: Db, jti: string, expiresAt: number): void {
  const now = Date.now();
  db.orm.delete(revokedTokens).where(lt(revokedTokens.expiresAt, now)).run();
  db.orm
    .insert(revokedTokens)
    .values({ jti, expiresAt: expiresAt * 1000 })
    .onConflictDoNothing()
    .run();
}

export function isTokenRevoked(db: Db, jti: string): boolean {
  return (
    db.orm.select({ jti: revokedTokens.jti }).from(revokedTokens).where(eq(revokedTokens.jti, jti)).get() !== undefined
  );
}
