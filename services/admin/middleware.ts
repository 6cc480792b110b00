import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../core/errors.ts';
import type { AdminEnv } from './env.ts';
import { dictionaries, LOCALE_COOKIE, pickLocale } from './i18n/index.ts';

/** Chooses the language (cookie, then Accept-Language) and exposes its dictionary as `t`. */
export const chooseLocale: MiddlewareHandler<AdminEnv> = async function chooseLocale(c, next) {
  const locale = pickLocale(getCookie(c, LOCALE_COOKIE), c.req.header('accept-language'));
  c.set('locale', locale);
  c.set('t', dictionaries[locale]);
  c.header('Content-Language', locale === 'zh' ? 'zh-CN' : 'en');
  c.header('Vary', 'Accept-Language, Cookie');
  await next();
};

/** Anonymous visitors are sent to log in (the error handler turns 401 into that redirect). */
export const requireLogin: MiddlewareHandler<AdminEnv> = async function requireLogin(c, next) {
  if (!c.get('user')) throw new AppError('unauthenticated', 'Sign in first');
  await next();
};

export const requireAdminRole: MiddlewareHandler<AdminEnv> = async function requireAdminRole(c, next) {
  const user = c.get('user');
  if (!user) throw new AppError('unauthenticated', 'Sign in first');
  if (user.role !== 'admin') throw new AppError('forbidden', 'Administrators only');
  await next();
};
