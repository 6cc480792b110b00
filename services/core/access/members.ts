import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import { findUserByEmail } from '../auth/users.ts';
import { type Db, tables, writeTransaction } from '../db/index.ts';
import type { KbRole } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { kbAccess, type Principal } from './index.ts';

const { kbMembers, users } = tables;

/** The roles an owner hands out; ownership itself is not transferred. */
export type MemberRole = Exclude<KbRole, 'owner'>;

export interface Member {
  user: { id: string; email: string; name: string };
  role: KbRole;
  createdAt: number;
}

/** Makes `userId` the owner of a new KB; call in the transaction that creates it. */
export function addOwner(db: Db, kbId: string, userId: string): void {
  db.orm.insert(kbMembers).values({ kbId, userId, role: 'owner' }).run();
}

const memberQuery = (db: Db, where: SQL | undefined) =>
  db.orm
    .select({
      user: { id: users.id, email: users.email, name: users.name },
      role: kbMembers.role,
      createdAt: kbMembers.createdAt,
    })
    .from(kbMembers)
    .innerJoin(users, eq(users.id, kbMembers.userId))
    .where(where);

/** The members of a KB, owner first; any member may see who else is in it. */
export function listMembers(db: Db, who: Principal, kbId: string): Member[] {
  kbAccess(db, who, kbId, 'read');
  return memberQuery(db, eq(kbMembers.kbId, kbId))
    .orderBy(sql`CASE ${kbMembers.role} WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END`, asc(kbMembers.createdAt))
    .all();
}

function getMember(db: Db, kbId: string, userId: string): Member {
  const member = memberQuery(db, and(eq(kbMembers.kbId, kbId), eq(kbMembers.userId, userId))).get();
  if (!member) throw notFound('Member');
  return member;
}

const ownerIsFixed = () =>
  new AppError('conflict', 'The owner stays the owner; delete the knowledge base to give it up');

/** The owner adds a user by email as viewer or editor; takes effect on that user's next request. */
export function addMember(db: Db, who: Principal, kbId: string, input: { email: string; role: MemberRole }): Member {
  const kb = kbAccess(db, who, kbId, 'manage');
  const user = findUserByEmail(db, input.email);
  if (!user) throw new AppError('not_found', 'No account uses this email address; invite them first');
  return writeTransaction(db, () => {
    const inserted = db.orm
      .insert(kbMembers)
      .values({ kbId, userId: user.id, role: input.role })
      .onConflictDoNothing()
      .returning({ userId: kbMembers.userId })
      .get();
    if (!inserted) throw new AppError('conflict', 'This user is already a member');
    recordAudit(db, {
      actorId: who.userId,
      action: 'kb.member_added',
      targetType: 'kb',
      targetId: kbId,
      detail: { kb: kb.title, userId: user.id, email: user.email, role: input.role },
    });
    return getMember(db, kbId, user.id);
  });
}

/** The owner changes a member's role. */
export function updateMember(db: Db, who: Principal, kbId: string, userId: string, role: MemberRole): Member {
  const kb = kbAccess(db, who, kbId, 'manage');
  return writeTransaction(db, () => {
    const before = getMember(db, kbId, userId);
    if (before.role === 'owner') throw ownerIsFixed();
    db.orm
      .update(kbMembers)
      .set({ role })
      .where(and(eq(kbMembers.kbId, kbId), eq(kbMembers.userId, userId)))
      .run();
    if (before.role !== role) {
      recordAudit(db, {
        actorId: who.userId,
        action: 'kb.member_role_changed',
        targetType: 'kb',
        targetId: kbId,
        detail: { kb: kb.title, userId, email: before.user.email, from: before.role, to: role },
      });
    }
    return { ...before, role };
  });
}

/**
 * The owner removes a member, or a member leaves. Access ends on the member's very next
 * request: every request checks the membership row, and cached search results are only
 * served after that check.
 */
export function removeMember(db: Db, who: Principal, kbId: string, userId: string): void {
  const kb = kbAccess(db, who, kbId, who.userId === userId ? 'read' : 'manage');
  writeTransaction(db, () => {
    const before = getMember(db, kbId, userId);
    if (before.role === 'owner') throw ownerIsFixed();
    db.orm
      .delete(kbMembers)
      .where(and(eq(kbMembers.kbId, kbId), eq(kbMembers.userId, userId)))
      .run();
    recordAudit(db, {
      actorId: who.userId,
      action: 'kb.member_removed',
      targetType: 'kb',
      targetId: kbId,
      detail: { kb: kb.title, userId, email: before.user.email, role: before.role },
    });
  });
}
