import { Hono } from 'hono';
import { type AuditAction, type AuditEvent, listAudit } from '../../../core/audit/index.ts';
import { listUsers } from '../../../core/auth/users.ts';
import type { Deps } from '../../../core/deps.ts';
import type { AdminContext, AdminEnv } from '../../env.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { AdminHeader } from '../../views/admin-nav.tsx';
import { formatTime } from '../../views/kb-nav.tsx';
import { page } from '../../views/render.tsx';

const PAGE = 50;

const labels: Record<AuditAction, MessageKey> = {
  'user.registered': 'auditUserRegistered',
  'user.login_failed': 'auditUserLoginFailed',
  'user.role_changed': 'auditUserRoleChanged',
  'user.disabled': 'auditUserDisabled',
  'user.enabled': 'auditUserEnabled',
  'user.password_changed': 'auditUserPasswordChanged',
  'user.reset_link_created': 'auditUserResetLinkCreated',
  'user.password_reset': 'auditUserPasswordReset',
  'invitation.created': 'auditInvitationCreated',
  'invitation.revoked': 'auditInvitationRevoked',
  'kb.member_added': 'auditKbMemberAdded',
  'kb.member_role_changed': 'auditKbMemberRoleChanged',
  'kb.member_removed': 'auditKbMemberRemoved',
  'api_key.created': 'auditApiKeyCreated',
  'api_key.revoked': 'auditApiKeyRevoked',
};

/** The detail of an event as short `key: value` pairs. */
const detailText = (detail: Record<string, unknown>) =>
  Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(
      ([k, v]) =>
        `${k}: ${k.endsWith('At') && typeof v === 'number' ? new Date(v).toISOString() : Array.isArray(v) ? v.join(', ') : String(v)}`,
    )
    .join(' · ');

function AuditTable({ c, events, emails }: { c: AdminContext; events: AuditEvent[]; emails: Map<string, string> }) {
  const t = c.get('t');
  const who = (id: string | null) => (id ? (emails.get(id) ?? id) : '—');
  return (
    <div class="table-wrap">
      <table id="audit-table">
        <thead>
          <tr>
            <th scope="col">{t.auditTime}</th>
            <th scope="col">{t.auditActor}</th>
            <th scope="col">{t.auditAction}</th>
            <th scope="col">{t.auditTarget}</th>
            <th scope="col">{t.auditDetail}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr data-action={e.action}>
              <td class="nowrap">{formatTime(e.at, c.get('locale'))}</td>
              <td class="wrap">{who(e.actorId)}</td>
              <td>{t[labels[e.action]] ?? e.action}</td>
              <td class="wrap">
                {e.targetType}: {e.targetType === 'user' ? who(e.targetId) : (e.targetId ?? '—')}
              </td>
              <td class="wrap meta">{detailText(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The audit list of access changes, newest first, a page at a time. */
export function adminAuditPages(deps: Deps) {
  return new Hono<AdminEnv>().get('/', (c) => {
    const t = c.get('t');
    const before = Number(c.req.query('before'));
    const events = listAudit(deps.db, {
      limit: PAGE,
      before: Number.isInteger(before) && before > 0 ? before : undefined,
    });
    const emails = new Map(listUsers(deps.db).map((u) => [u.id, u.email]));
    const last = events.at(-1);
    return page(
      c,
      t.adminAudit,
      <>
        <AdminHeader t={t} tab="audit" />
        {events.length === 0 ? (
          <p class="empty">{t.auditEmpty}</p>
        ) : (
          <AuditTable c={c} events={events} emails={emails} />
        )}
        {events.length === PAGE && last && (
          <p>
            <a href={`/admin/audit?before=${last.id}`}>{t.auditOlder}</a>
          </p>
        )}
      </>,
    );
  });
}
