import { Hono } from 'hono';
import { z } from 'zod';
import { attemptPasswordChange, attemptPasswordReset } from '../../core/auth/attempts.ts';
import { isResetLinkUsable } from '../../core/auth/password-resets.ts';
import type { Deps } from '../../core/deps.ts';
import { AppError, type ErrorCode } from '../../core/errors.ts';
import { requireSession } from '../../http/auth.ts';
import { requestOrigin } from '../../http/forwarded.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { type FieldErrors, readForm } from '../forms.ts';
import type { MessageKey } from '../i18n/index.ts';
import { requireLogin } from '../middleware.ts';
import { Field, FormError, SwapForm } from '../views/form.tsx';
import { fragmentOrPage, page, redirectTo } from '../views/render.tsx';
import { formPage } from './auth.tsx';

const newPassword = z.string().min(8, 'vPassword').max(256, 'vTooLong');
const changeSchema = z.object({ currentPassword: z.string().min(1, 'vRequired').max(256, 'vTooLong'), newPassword });
const resetSchema = z.object({ token: z.string().max(200), newPassword });

const refusals: Partial<Record<ErrorCode, [string, MessageKey]>> = {
  wrong_password: ['currentPassword', 'wrongPassword'],
  reset_link_invalid: ['_form', 'resetInvalid'],
  rate_limited: ['_form', 'errRateLimited'],
};
function refusal(err: unknown): FieldErrors {
  const known = err instanceof AppError ? refusals[err.code] : undefined;
  if (!known) throw err;
  return { [known[0]]: known[1] };
}

function PasswordForm({ c, errors, done }: { c: AdminContext; errors: FieldErrors; done?: boolean }) {
  const t = c.get('t');
  return (
    <SwapForm action="/account/password" id="password-form">
      <h2>{t.passwordChangeTitle}</h2>
      <p class="muted">{t.passwordChangeIntro}</p>
      {done && (
        <p class="alert alert-success" role="status">
          {t.passwordChanged}
        </p>
      )}
      <FormError t={t} error={errors._form} />
      <Field
        t={t}
        label={t.currentPassword}
        name="currentPassword"
        type="password"
        error={errors.currentPassword}
        required
        autocomplete="current-password"
      />
      <Field
        t={t}
        label={t.newPassword}
        name="newPassword"
        type="password"
        error={errors.newPassword}
        hint={t.passwordHint}
        required
        autocomplete="new-password"
      />
      <button type="submit" class="primary">
        {t.passwordChangeButton}
      </button>
    </SwapForm>
  );
}

function ResetForm({ c, token, errors }: { c: AdminContext; token: string; errors: FieldErrors }) {
  const t = c.get('t');
  return (
    <SwapForm action="/reset-password" id="reset-form">
      <input type="hidden" name="token" value={token} />
      <FormError t={t} error={errors._form} />
      <Field
        t={t}
        label={t.newPassword}
        name="newPassword"
        type="password"
        error={errors.newPassword}
        hint={t.passwordHint}
        required
        autocomplete="new-password"
      />
      <button type="submit" class="primary">
        {t.resetButton}
      </button>
    </SwapForm>
  );
}

/** The account page with the password change, and the page an admin's reset link opens. */
export function accountPages(deps: Deps) {
  const accountPage = (c: AdminContext, errors: FieldErrors, status: 200 | 400 | 403 | 429 = 200, done = false) => {
    const t = c.get('t');
    const user = c.get('user');
    const form = <PasswordForm c={c} errors={errors} done={done} />;
    const whole = () =>
      page(
        c,
        t.accountTitle,
        <section class="narrow-left stack">
          <h1>{t.accountTitle}</h1>
          <dl class="card facts" id="account-facts">
            <dt>{t.email}</dt>
            <dd>{user.email}</dd>
            <dt>{t.role}</dt>
            <dd>{user.role === 'admin' ? t.roleAdmin : t.roleUser}</dd>
          </dl>
          {form}
          <p>
            <a href="/account/api-keys">{t.keysTitle}</a>
          </p>
        </section>,
        status,
      );
    return fragmentOrPage(c, form, whole, status);
  };

  return new Hono<AdminEnv>()
    .get('/account', requireLogin, (c) => accountPage(c, {}))
    .post('/account/password', requireLogin, requireSession, async (c) => {
      const form = await readForm(c, changeSchema);
      if (!form.ok) return accountPage(c, form.errors, 400);
      const user = c.get('user');
      try {
        await attemptPasswordChange(deps.db, user, form.data, c.get('tokenId'));
      } catch (err) {
        const errors = refusal(err);
        return accountPage(c, errors, errors._form ? 429 : 403);
      }
      c.get('logger').info({ userId: user.id }, 'password changed; other sessions ended');
      return accountPage(c, {}, 200, true);
    })
    .get('/reset-password', (c) => {
      const t = c.get('t');
      const token = c.req.query('token') ?? '';
      const form = isResetLinkUsable(deps.db, token) ? (
        <ResetForm c={c} token={token} errors={{}} />
      ) : (
        <p class="alert alert-error" role="alert">
          {t.resetInvalid}
        </p>
      );
      return formPage(c, t.resetTitle, undefined, form);
    })
    .post('/reset-password', async (c) => {
      const t = c.get('t');
      const form = await readForm(c, resetSchema);
      const token = form.values.token ?? '';
      const show = (errors: FieldErrors, status: 400 | 403 | 429) =>
        formPage(c, t.resetTitle, undefined, <ResetForm c={c} token={token} errors={errors} />, status);
      if (!form.ok) return show(form.errors, 400);
      const address = requestOrigin(c, deps.config.TRUST_PROXY).clientIp;
      try {
        await attemptPasswordReset(deps.db, { ...form.data, address });
      } catch (err) {
        const errors = refusal(err);
        return show(errors, err instanceof AppError && err.code === 'rate_limited' ? 429 : 403);
      }
      return redirectTo(c, '/login?reset=done');
    });
}
