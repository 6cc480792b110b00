import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { isRestrictedKey, type KeyScope, kbAccess, type Principal } from '../access/index.ts';
import { recordAudit } from '../audit/index.ts';
import { type Db, tables } from '../db/index.ts';
import { forbidden, notFound } from '../errors.ts';
import { hashSecret, newSecret } from './tokens.ts';
import { findUser, type PublicUser } from './users.ts';

const { apiKeys } = tables;

export const API_KEY_PREFIX = 'cos_';

export interface PublicApiKey {
  id: string;
  name: string;
  prefix: string;
  /** The knowledge bases the key may reach; null for all of its owner's. */
  kbIds: string[] | null;
  /** Search, chat and `/v1` only. */
  readOnly: boolean;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeyInput {
  name: string;
  kbIds?: string[];
  readOnly?: boolean;
}

const toPublic = (k: typeof apiKeys.$inferSelect): PublicApiKey => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  kbIds: k.kbIds ?? null,
  readOnly: k.readOnly,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

/** Keys that are themselves limited cannot mint keys: a key never yields more than it holds. */
function assertMayManageKeys(who: Principal): void {
  if (isRestrictedKey(who)) throw forbidden('A limited API key cannot manage API keys');
}

/**
 * Creates a key, optionally limited to some KBs (each one the caller can read now) and to
 * read-only use. The plain key is returned once; only its hash is stored.
 */
export function createApiKey(db: Db, who: Principal, input: ApiKeyInput): { apiKey: PublicApiKey; key: string } {
  assertMayManageKeys(who);
  const kbIds = input.kbIds ? [...new Set(input.kbIds)] : null;
  for (const kbId of kbIds ?? []) kbAccess(db, who, kbId, 'read');
  const key = `${API_KEY_PREFIX}${newSecret()}`;
  const row = db.orm
    .insert(apiKeys)
    .values({
      id: randomUUID(),
      userId: who.userId,
      name: input.name.trim(),
      prefix: key.slice(0, 10),
      keyHash: hashSecret(key),
      kbIds,
      readOnly: input.readOnly ?? false,
    })
    .returning()
    .get();
  recordAudit(db, {
    actorId: who.userId,
    action: 'api_key.created',
    targetType: 'api_key',
    targetId: row.id,
    detail: { name: row.name, kbIds, readOnly: row.readOnly },
  });
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

export function revokeApiKey(db: Db, who: Principal, id: string): void {
  assertMayManageKeys(who);
  const row = db.orm
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, who.userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name })
    .get();
  if (!row) throw notFound('API key');
  recordAudit(db, {
    actorId: who.userId,
    action: 'api_key.revoked',
    targetType: 'api_key',
    targetId: row.id,
    detail: { name: row.name },
  });
}

/** The active, enabled user a plain key belongs to, with the key's limits; or undefined. */
export function userForApiKey(db: Db, key: string): { user: PublicUser; scope: KeyScope } | undefined {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const row = db.orm
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashSecret(key)), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) return undefined;
  const user = findUser(db, row.userId);
  if (!user || user.disabled) return undefined;
  // Coarse last-used stamp: at most one write a minute per key.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt > 60_000) {
    db.orm.update(apiKeys).set({ lastUsedAt: Date.now() }).where(eq(apiKeys.id, row.id)).run();
  }
  return { user, scope: { kbIds: row.kbIds ?? null, readOnly: row.readOnly } };
}
