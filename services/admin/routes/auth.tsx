import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate, registerUser } from '../../core/auth/users.ts';
import type { Deps } from '../../core/deps.ts';
import { AppError } from '../../core/errors.ts';
import { endSession, issueToken, setSessionCookie } from '../../http/auth.ts';
import { clientIp } from '../../http/client-ip.ts';
import { RateLimiter } from '../../http/rate-limit.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { safeLocalPath } from '../safe-path.ts';
import { Field, type FieldErrors, FormError, fieldErrors, SwapForm } from '../views/form.tsx';
import { fragment, type Html, page, redirectTo } from '../views/render.tsx';

const signupSchema = z.object({
  name: z.string().trim().max(100, 'vTooLong').optional(),
  email: z.email('vEmail').max(254, 'vTooLong'),
  password: z.string().min(8, 'vPassword').max(256, 'vTooLong'),
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

function LoginForm({
  c,
  values,
  errors,
  next,
}: {
  c: AdminContext;
  values: Values;
  errors: FieldErrors;
  next: string;
}) {
  const t = c.get('t');
  return (
    <SwapForm action="/login" id="login-form">
      <input type="hidden" name="next" value={next} />
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

const formPage = (
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

const strings = (body: Record<string, unknown>): Values =>
  Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** Sign up, log in, log out: the session is the same `cos_session` cookie the API uses. */
export function authPages(deps: Deps) {
  const perIp = new RateLimiter(30, 5 * 60_000);
  const perAccount = new RateLimiter(10, 5 * 60_000);
  const registrations = new RateLimiter(20, 60 * 60_000);

  const signIn = async (c: AdminContext, user: Parameters<typeof issueToken>[1], next: string) => {
    setSessionCookie(c, await issueToken(deps.jwtSecret, user));
    return redirectTo(c, next);
  };

  return new Hono<AdminEnv>()
    .get('/signup', (c) =>
      formPage(c, c.get('t').signupTitle, c.get('t').signupIntro, <SignupForm c={c} values={{}} errors={{}} />),
    )
    .post('/signup', async (c) => {
      const t = c.get('t');
      const values = strings(await c.req.parseBody());
      const show = (errors: FieldErrors, status: 400 | 409 | 429) =>
        formPage(c, t.signupTitle, t.signupIntro, <SignupForm c={c} values={values} errors={errors} />, status);
      const parsed = signupSchema.safeParse({ ...values, name: values.name || undefined });
      if (!parsed.success) return show(fieldErrors(parsed.error), 400);
      try {
        registrations.hit(clientIp(c, deps.config.TRUST_PROXY));
        const user = await registerUser(deps.db, parsed.data);
        c.get('logger').info({ userId: user.id }, 'user registered');
        return await signIn(c, user, '/kbs');
      } catch (err) {
        if (err instanceof AppError && err.code === 'email_taken') return show({ email: 'emailTaken' }, 409);
        if (err instanceof AppError && err.code === 'rate_limited') return show({ _form: 'errRateLimited' }, 429);
        throw err;
      }
    })
    .get('/login', (c) => {
      const next = safeNext(c.req.query('next'));
      return formPage(c, c.get('t').loginTitle, undefined, <LoginForm c={c} values={{}} errors={{}} next={next} />);
    })
    .post('/login', async (c) => {
      const t = c.get('t');
      const values = strings(await c.req.parseBody());
      const next = safeNext(values.next);
      const show = (errors: FieldErrors, status: 400 | 401 | 403 | 429) =>
        formPage(c, t.loginTitle, undefined, <LoginForm c={c} values={values} errors={errors} next={next} />, status);
      const parsed = loginSchema.safeParse(values);
      if (!parsed.success) return show(fieldErrors(parsed.error), 400);
      const account = parsed.data.email.toLowerCase();
      try {
        perIp.hit(clientIp(c, deps.config.TRUST_PROXY));
        perAccount.hit(account);
        const user = await authenticate(deps.db, parsed.data.email, parsed.data.password);
        perAccount.reset(account);
        return await signIn(c, user, next);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'invalid_credentials') return show({ _form: 'loginFailed' }, 401);
        if (err.code === 'account_disabled') return show({ _form: 'accountDisabled' }, 403);
        if (err.code === 'rate_limited') return show({ _form: 'errRateLimited' }, 429);
        throw err;
      }
    })
    .post('/logout', async (c) => {
      await endSession(c, deps);
      return redirectTo(c, '/login');
    });
}
