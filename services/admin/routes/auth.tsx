import { Hono } from 'hono';
import { z } from 'zod';
import { pendingInvitation } from '../../core/auth/invitations.ts';
import { authenticate, hasUsers, type PublicUser, registerUser } from '../../core/auth/users.ts';
import type { Deps } from '../../core/deps.ts';
import { AppError, type ErrorCode } from '../../core/errors.ts';
import { endSession, issueSession, setSessionCookie } from '../../http/auth.ts';
import { clientIp } from '../../http/client-ip.ts';
import { RateLimiter } from '../../http/rate-limit.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import type { MessageKey } from '../i18n/index.ts';
import { safeLocalPath } from '../safe-path.ts';
import { Field, type FieldErrors, FormError, fieldErrors, SwapForm } from '../views/form.tsx';
import { fragment, type Html, page, redirectTo } from '../views/render.tsx';

const signupSchema = z.object({
  name: z.string().trim().max(100, 'vTooLong').optional(),
  email: z.email('vEmail').max(254, 'vTooLong'),
  password: z.string().min(8, 'vPassword').max(256, 'vTooLong'),
  invitation: z.string().max(200).optional(),
});
const loginSchema = z.object({
  email: z.string().trim().min(1, 'vRequired').max(254, 'vTooLong'),
  password: z.string().min(1, 'vRequired').max(256, 'vTooLong'),
});

type Values = Record<string, string>;

/** Only same-site paths are followed after logging in. */
const safeNext = (next: unknown) => safeLocalPath(next, '/kbs');

function SignupForm({ c, values, errors }: { c: AdminContext; values: Values; errors: FieldErrors }) {
  const t = c.get('t');
  return (
    <SwapForm action="/signup" id="signup-form">
      {values.invitation && <input type="hidden" name="invitation" value={values.invitation} />}
      <FormError t={t} error={errors._form} />
      <Field t={t} label={t.name} name="name" value={values.name} error={errors.name} autocomplete="name" />
      <Field
        t={t}
        label={t.email}
        name="email"
        type="email"
        value={values.email}
        error={errors.email}
        required
        autocomplete="email"
      />
      <Field
        t={t}
        label={t.password}
        name="password"
        type="password"
        error={errors.password}
        hint={t.passwordHint}
        required
        autocomplete="new-password"
      />
      <button type="submit" class="primary">
        {t.signupButton}
      </button>
      <p>
        {t.haveAccount} <a href="/login">{t.navLogin}</a>
      </p>
    </SwapForm>
  );
}

export function LoginForm({
  c,
  values,
  errors,
  next,
  notice,
}: {
  c: AdminContext;
  values: Values;
  errors: FieldErrors;
  next: string;
  notice?: MessageKey;
}) {
  const t = c.get('t');
  return (
    <SwapForm action="/login" id="login-form">
      <input type="hidden" name="next" value={next} />
      {notice && (
        <p class="alert alert-success" role="status">
          {t[notice]}
        </p>
      )}
      <FormError t={t} error={errors._form} />
      <Field
        t={t}
        label={t.email}
        name="email"
        type="email"
        value={values.email}
        error={errors.email}
        required
        autocomplete="email"
      />
      <Field
        t={t}
        label={t.password}
        name="password"
        type="password"
        error={errors.password}
        required
        autocomplete="current-password"
      />
      <button type="submit" class="primary">
        {t.loginButton}
      </button>
      <p>
        {t.noAccount} <a href="/signup">{t.navSignup}</a>
      </p>
    </SwapForm>
  );
}

/** A page with one narrow card (sign up, log in, reset); htmx gets the card alone. */
export const formPage = (
  c: AdminContext,
  title: string,
  intro: string | undefined,
  form: Html,
  status: 200 | 400 | 401 | 403 | 409 | 429 = 200,
) =>
  c.req.header('hx-request') === 'true'
    ? fragment(c, form, status)
    : page(
        c,
        title,
        <section class="narrow">
          <h1>{title}</h1>
          {intro && <p class="muted">{intro}</p>}
          {form}
        </section>,
        status,
      );

/** The posted text fields of a form; files and repeated fields are dropped. */
export const strings = (body: Record<string, unknown>): Values =>
  Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** How a refused sign-up or login reads on the form. */
const formErrors: Partial<Record<ErrorCode, [field: string, message: MessageKey, status: 401 | 403 | 409 | 429]>> = {
  email_taken: ['email', 'emailTaken', 409],
  rate_limited: ['_form', 'errRateLimited', 429],
  signup_closed: ['_form', 'signupClosed', 403],
  invitation_invalid: ['_form', 'invitationInvalid', 403],
  invalid_credentials: ['_form', 'loginFailed', 401],
  account_disabled: ['_form', 'accountDisabled', 403],
};

/** The form's field, message and status for an AppError it knows; rethrows anything else. */
function refusal(err: unknown): [string, MessageKey, 401 | 403 | 409 | 429] {
  const known = err instanceof AppError ? formErrors[err.code] : undefined;
  if (!known) throw err;
  return known;
}

/** Sign up (with an invitation unless SIGNUP=open), log in, log out: the same `cos_session` cookie the API uses. */
export function authPages(deps: Deps) {
  const perIp = new RateLimiter(30, 5 * 60_000);
  const perAccount = new RateLimiter(10, 5 * 60_000);
  const registrations = new RateLimiter(20, 60 * 60_000);

  const signIn = async (c: AdminContext, user: PublicUser, next: string) => {
    setSessionCookie(c, await issueSession(deps, user));
    return redirectTo(c, next);
  };

  /** The intro of the sign-up page, and whether a form is offered at all. */
  const signupState = (invitation: string | undefined): { intro: MessageKey; form: boolean } => {
    if (!hasUsers(deps.db)) return { intro: 'signupIntro', form: true };
    if (invitation) {
      return pendingInvitation(deps.db, invitation)
        ? { intro: 'signupInvited', form: true }
        : { intro: 'invitationInvalid', form: false };
    }
    if (deps.config.SIGNUP === 'open') return { intro: 'signupIntroOpen', form: true };
    return { intro: deps.config.SIGNUP === 'invite' ? 'signupInviteOnly' : 'signupClosed', form: false };
  };

  return new Hono<AdminEnv>()
    .get('/signup', (c) => {
      const t = c.get('t');
      const invitation = c.req.query('invitation') || undefined;
      const state = signupState(invitation);
      const form = state.form ? (
        <SignupForm c={c} values={invitation ? { invitation } : {}} errors={{}} />
      ) : (
        <p class="card">
          {t.haveAccount} <a href="/login">{t.navLogin}</a>
        </p>
      );
      return formPage(c, t.signupTitle, t[state.intro], form);
    })
    .post('/signup', async (c) => {
      const t = c.get('t');
      const values = strings(await c.req.parseBody());
      const show = (errors: FieldErrors, status: 400 | 401 | 403 | 409 | 429) =>
        formPage(c, t.signupTitle, undefined, <SignupForm c={c} values={values} errors={errors} />, status);
      const parsed = signupSchema.safeParse({
        ...values,
        name: values.name || undefined,
        invitation: values.invitation || undefined,
      });
      if (!parsed.success) return show(fieldErrors(parsed.error), 400);
      try {
        registrations.hit(clientIp(c, deps.config.TRUST_PROXY));
        const user = await registerUser(deps.db, parsed.data, deps.config.SIGNUP);
        c.get('logger').info({ userId: user.id }, 'user registered');
        return await signIn(c, user, '/kbs');
      } catch (err) {
        const [field, message, status] = refusal(err);
        return show({ [field]: message }, status);
      }
    })
    .get('/login', (c) => {
      const next = safeNext(c.req.query('next'));
      const notice = c.req.query('reset') === 'done' ? 'resetDone' : undefined;
      return formPage(
        c,
        c.get('t').loginTitle,
        undefined,
        <LoginForm c={c} values={{}} errors={{}} next={next} notice={notice} />,
      );
    })
    .post('/login', async (c) => {
      const t = c.get('t');
      const values = strings(await c.req.parseBody());
      const next = safeNext(values.next);
      const show = (errors: FieldErrors, status: 400 | 401 | 403 | 409 | 429) =>
        formPage(c, t.loginTitle, undefined, <LoginForm c={c} values={values} errors={errors} next={next} />, status);
      const parsed = loginSchema.safeParse(values);
      if (!parsed.success) return show(fieldErrors(parsed.error), 400);
      const account = parsed.data.email.toLowerCase();
      const ip = clientIp(c, deps.config.TRUST_PROXY);
      try {
        perIp.hit(ip);
        perAccount.hit(account);
        const user = await authenticate(deps.db, parsed.data.email, parsed.data.password, { ip });
        perAccount.reset(account);
        return await signIn(c, user, next);
      } catch (err) {
        const [field, message, status] = refusal(err);
        return show({ [field]: message }, status);
      }
    })
    .post('/logout', async (c) => {
      await endSession(c, deps);
      return redirectTo(c, '/login');
    });
}
