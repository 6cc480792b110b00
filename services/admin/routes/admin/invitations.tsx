import { Hono } from 'hono';
import { z } from 'zod';
import {
  createInvitation,
  DEFAULT_INVITATION_DAYS,
  type Invitation,
  listInvitations,
  MAX_INVITATION_DAYS,
  revokeInvitation,
} from '../../../core/auth/invitations.ts';
import type { Deps } from '../../../core/deps.ts';
import { invitationLink, publicBase } from '../../../http/public-url.ts';
import type { AdminContext, AdminEnv } from '../../env.ts';
import { type FieldErrors, readForm } from '../../forms.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { AdminHeader } from '../../views/admin-nav.tsx';
import { ActionButton, Field } from '../../views/form.tsx';
import { formatTime } from '../../views/kb-nav.tsx';
import { page, redirectTo } from '../../views/render.tsx';

const inviteSchema = z.object({
  email: z
    .string()
    .default('')
    .transform((v) => v.trim())
    .pipe(z.union([z.literal(''), z.email('vEmail').max(254, 'vTooLong')])),
  role: z.enum(['user', 'admin']).default('user'),
  expiresInDays: z
    .string()
    .default('')
    .pipe(z.coerce.number<string>().int('vRequired').min(1, 'vRequired').max(MAX_INVITATION_DAYS, 'vTooLong')),
});

const stateKeys: Record<Invitation['state'], MessageKey> = {
  pending: 'statePending',
  used: 'stateUsed',
  expired: 'stateExpired',
};
const stateBadge: Record<Invitation['state'], string> = {
  pending: 'badge badge-queued',
  used: 'badge badge-completed',
  expired: 'badge badge-failed',
};

function InvitationsTable({ c, items }: { c: AdminContext; items: Invitation[] }) {
  const t = c.get('t');
  const locale = c.get('locale');
  if (items.length === 0) return <p class="empty">{t.invitationsEmpty}</p>;
  return (
    <div class="table-wrap">
      <table id="invitations-table">
        <thead>
          <tr>
            <th scope="col">{t.email}</th>
            <th scope="col">{t.invitationRole}</th>
            <th scope="col">{t.state}</th>
            <th scope="col">{t.expires}</th>
            <th scope="col">
              <span class="visually-hidden">{t.docActions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr data-state={i.state}>
              <td class="wrap">{i.email ?? <span class="muted">{t.invitationAnyEmail}</span>}</td>
              <td>{i.role === 'admin' ? t.roleAdmin : t.roleUser}</td>
              <td>
                <span class={stateBadge[i.state]}>{t[stateKeys[i.state]]}</span>
              </td>
              <td>{formatTime(i.expiresAt, locale)}</td>
              <td class="actions">
                {i.state === 'pending' && (
                  <ActionButton
                    action={`/admin/invitations/${i.id}/revoke`}
                    label={t.invitationRevoke}
                    confirm={t.invitationRevokeConfirm}
                    variant="danger"
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Invitations: create one (its link is shown once), see their state, withdraw a pending one. */
export function adminInvitationPages(deps: Deps) {
  const render = (
    c: AdminContext,
    form: { values?: Record<string, string>; errors?: FieldErrors; link?: string } = {},
    status: 200 | 201 | 400 = 200,
  ) => {
    const t = c.get('t');
    const v = form.values ?? {};
    const errors = form.errors ?? {};
    const closed = deps.config.SIGNUP === 'closed';
    return page(
      c,
      t.adminInvitations,
      <>
        <AdminHeader t={t} tab="invitations" />
        <div class="split">
          <section class="stack">
            {form.link && (
              <div class="alert alert-success" role="status">
                <p>{t.invitationLink}</p>
                <code class="secret-link" id="invitation-link">
                  {form.link}
                </code>
              </div>
            )}
            <InvitationsTable c={c} items={listInvitations(deps.db)} />
          </section>
          <section aria-labelledby="invite-title">
            <h2 id="invite-title">{t.invitationCreateTitle}</h2>
            {closed ? (
              <p class="card muted">{t.invitationsClosed}</p>
            ) : (
              <form method="post" action="/admin/invitations" class="card stack" id="invite-form">
                <Field
                  t={t}
                  label={t.invitationEmail}
                  name="email"
                  type="email"
                  value={v.email}
                  error={errors.email}
                  autocomplete="off"
                />
                <div class="field">
                  <label for="f-role">{t.invitationRole}</label>
                  <select name="role" id="f-role">
                    <option value="user" selected={v.role !== 'admin'}>
                      {t.roleUser}
                    </option>
                    <option value="admin" selected={v.role === 'admin'}>
                      {t.roleAdmin}
                    </option>
                  </select>
                </div>
                <Field
                  t={t}
                  label={t.invitationDays}
                  name="expiresInDays"
                  type="number"
                  value={v.expiresInDays ?? String(DEFAULT_INVITATION_DAYS)}
                  error={errors.expiresInDays}
                  required
                />
                <button type="submit" class="primary">
                  {t.invitationCreate}
                </button>
              </form>
            )}
          </section>
        </div>
      </>,
      status,
    );
  };

  return new Hono<AdminEnv>()
    .get('/', (c) => render(c))
    .post('/', async (c) => {
      const form = await readForm(c, inviteSchema);
      if (!form.ok) return render(c, { values: form.values, errors: form.errors }, 400);
      const { email, ...rest } = form.data;
      const { token } = createInvitation(
        deps.db,
        c.get('user').id,
        { ...rest, email: email || undefined },
        deps.config.SIGNUP,
      );
      return render(c, { link: invitationLink(publicBase(c, deps.config), token) }, 201);
    })
    .post('/:id/revoke', (c) => {
      revokeInvitation(deps.db, c.get('user').id, c.req.param('id'));
      return redirectTo(c, '/admin/invitations');
    });
}
