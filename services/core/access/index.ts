import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Db, tables } from '../db/index.ts';
import type { KbRole } from '../db/schema.ts';
import { forbidden, notFound } from '../errors.ts';

const { knowledgeBases, kbMembers } = tables;

export type { KbRole };
export type KnowledgeBase = typeof knowledgeBases.$inferSelect;

/** What an API key is limited to. */
export interface KeyScope {
  /** The knowledge bases the key may reach; null for every one its owner can. */
  kbIds: string[] | null;
  /** Search, chat and `/v1` only. */
  readOnly: boolean;
}

/** Who is asking: a signed-in user, or a user through one of their API keys. */
export interface Principal {
  userId: string;
  /** Set when the request came with an API key. */
  key?: KeyScope;
}

/** What a caller wants to do with a KB: read (search, chat, view), write (documents, notes), manage (rename, delete, members). */
export type KbAction = 'read' | 'write' | 'manage';

const prepared = new WeakMap<Db, ReturnType<typeof buildMembershipQuery>>();
const RANK: Record<KbRole, number> = { viewer: 1, editor: 2, owner: 3 };
const NEEDED: Record<KbAction, KbRole> = { read: 'viewer', write: 'editor', manage: 'owner' };

/** A KB as its caller sees it: with the caller's own role. */
export type KbWithRole = KnowledgeBase & { role: KbRole };

/** True when an API key limits the caller at all. */
export const isRestrictedKey = (who: Principal) => Boolean(who.key && (who.key.readOnly || who.key.kbIds));

const buildMembershipQuery = (db: Db) =>
  db.orm
    .select({ kb: knowledgeBases, role: kbMembers.role })
    .from(knowledgeBases)
    .innerJoin(kbMembers, and(eq(kbMembers.kbId, knowledgeBases.id), eq(kbMembers.userId, sql.placeholder('userId'))))
    .where(eq(knowledgeBases.id, sql.placeholder('kbId')))
    .prepare();

/** The KB with the user's membership. It runs on every request: built once per database, not per call. */
function membershipQuery(db: Db) {
  let query = prepared.get(db);
  if (!query) {
    query = buildMembershipQuery(db);
    prepared.set(db, query);
  }
  return query;
}

/** The role a principal acts with: the membership's, capped to viewer by a read-only key. */
function effectiveRole(who: Principal, kbId: string, role: KbRole): KbRole | undefined {
  if (who.key?.kbIds && !who.key.kbIds.includes(kbId)) return undefined;
  return who.key?.readOnly ? 'viewer' : role;
}

/**
 * The one access check for a knowledge base's data. Answers the KB and the caller's role when
 * the role allows `action`; a KB the caller is not a member of (or that their key cannot reach)
 * is a 404 naming `what`, a member without the right a 403. Every verb on a KB's documents,
 * chunks, search, chat, notes and members goes through here, on every request.
 */
export function kbAccess(db: Db, who: Principal, kbId: string, action: KbAction, what = 'Knowledge base'): KbWithRole {
  const row = membershipQuery(db).get({ kbId, userId: who.userId });
  const role = row && effectiveRole(who, kbId, row.role);
  if (!row || !role) throw notFound(what);
  if (RANK[role] < RANK[NEEDED[action]]) {
    throw forbidden(
      role !== row.role
        ? 'This API key is read-only'
        : `Your role on this knowledge base (${role}) does not allow this; it needs ${NEEDED[action]}`,
    );
  }
  return { ...row.kb, role };
}

/** Every KB the caller can read, newest first, each with the caller's role. */
export function visibleKbs(db: Db, who: Principal): KbWithRole[] {
  const scope = who.key?.kbIds;
  if (scope?.length === 0) return [];
  const mine = eq(kbMembers.userId, who.userId);
  return db.orm
    .select({ kb: knowledgeBases, role: kbMembers.role })
    .from(knowledgeBases)
    .innerJoin(kbMembers, eq(kbMembers.kbId, knowledgeBases.id))
    .where(scope ? and(mine, inArray(knowledgeBases.id, scope)) : mine)
    .orderBy(desc(knowledgeBases.createdAt))
    .all()
    .flatMap(({ kb, role }) => {
      const effective = effectiveRole(who, kb.id, role);
      return effective ? [{ ...kb, role: effective }] : [];
    });
}
