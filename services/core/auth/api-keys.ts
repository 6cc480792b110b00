import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { type Db, tables } from '../db/index.ts';
import { notFound } from '../errors.ts';
import { findUser, type PublicUser } from './users.ts';

const { apiKeys } = tables;

export const API_KEY_PREFIX = 'cos_';

export interface PublicApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const toPublic = (k: typeof apiKeys.$inferSelect): PublicApiKey => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

/** Creates a key; the plain key is returned once and only its hash is stored. */
export function createApiKey(db: Db, userId: string, name: string): { apiKey: PublicApiKey; key: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const row = db.orm
    .insert(apiKeys)
    .values({ id: randomUUID(), userId, name: name.trim(), prefix: key.slice(0, 10), keyHash: sha256(key) })
    .returning()
    .get();
  return { apiKey: toPublic(row), key };
}

export function listApiKeys(db: Db, userId: string): PublicApiKey[] {
  return db.orm
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt))
    .all()
    .map(toPublic);
}

export function revokeApiKey(db: Db, userId: string, id: string): void {
  const row = db.orm
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id })
    .get();
  if (!row) throw notFound('API key');
}

/** The active, enabled user a plain key belongs to, or undefined. */
export function userForApiKey(db: Db, key: string): PublicUser | undefined {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const row = db.orm
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sha256(key)), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) return undefined;
  const user = findUser(db, row.userId);
  if (!user || user.disabled) return undefined;
  // Coarse last-used stamp: at most one write a minute per key.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt > 60_000) {
    db.orm.update(apiKeys).set({ lastUsedAt: Date.now() }).where(eq(apiKeys.id, row.id)).run();
  }
  return user;
}
