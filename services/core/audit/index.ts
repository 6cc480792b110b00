import { desc, lt } from 'drizzle-orm';
import { type Db, tables } from '../db/index.ts';

const { auditEvents } = tables;

/** The access changes the audit list records. */
export type AuditAction =
  | 'user.registered'
  | 'user.login_failed'
  | 'user.role_changed'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.password_changed'
  | 'user.reset_link_created'
  | 'user.password_reset'
  | 'invitation.created'
  | 'invitation.revoked'
  | 'kb.member_added'
  | 'kb.member_role_changed'
  | 'kb.member_removed'
  | 'api_key.created'
  | 'api_key.revoked';

export type AuditTarget = 'user' | 'invitation' | 'kb' | 'api_key';

export interface AuditEntry {
  /** Who did it; null when nobody was signed in (a failed login, a reset by link). */
  actorId: string | null;
  action: AuditAction;
  targetType: AuditTarget;
  targetId: string | null;
  /** Never a password, token or key. */
  detail?: Record<string, unknown>;
}

export interface AuditEvent extends AuditEntry {
  id: number;
  at: number;
  detail: Record<string, unknown>;
}

/** Rows kept; the oldest beyond are pruned now and then, so a flood of failed logins cannot fill the disk. */
export const AUDIT_KEPT = 100_000;
const PRUNE_EVERY = 500;

/** Records one access change. */
export function recordAudit(db: Db, entry: AuditEntry): void {
  const { id } = db.orm
    .insert(auditEvents)
    .values({ ...entry, detail: entry.detail ?? {} })
    .returning({ id: auditEvents.id })
    .get();
  if (id % PRUNE_EVERY === 0)
    db.orm
      .delete(auditEvents)
      .where(lt(auditEvents.id, id - AUDIT_KEPT))
      .run();
}

/** The newest events first; `before` (an event id) pages back through older ones. */
export function listAudit(db: Db, opts: { limit: number; before?: number }): AuditEvent[] {
  return db.orm
    .select()
    .from(auditEvents)
    .where(opts.before === undefined ? undefined : lt(auditEvents.id, opts.before))
    .orderBy(desc(auditEvents.id))
    .limit(opts.limit)
    .all()
    .map((r) => ({
      id: r.id,
      at: r.at,
      actorId: r.actorId,
      action: r.action as AuditAction,
      targetType: r.targetType as AuditTarget,
      targetId: r.targetId,
      detail: r.detail ?? {},
    }));
}
