import type { Child } from 'hono/jsx';
import type { PublicUser } from '../../core/auth/users.ts';
import { type Dict, htmlLang, type Locale } from '../i18n/index.ts';

const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  historyCacheSize: 0,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '4..', swap: true },
    { code: '5..', swap: true, error: true },
  ],
});

export interface LayoutProps {
  t: Dict;
  locale: Locale;
  user?: PublicUser;
  title: string;
  path: string;
  children?: Child;
}

function LanguageSwitch({ t, locale, path }: { t: Dict; locale: Locale; path: string }) {
  const other: Locale = locale === 'en' ? 'zh' : 'en';
  return (
    <form method="post" action="/lang" class="lang-switch">
      <input type="hidden" name="back" value={path} />
      <button type="submit" name="lang" value={other} title={t.language}>
        <span class="visually-hidden">{t.language}: </span>
        <span lang={htmlLang[other]}>{other === 'zh' ? t.switchToZh : t.switchToEn}</span>
      </button>
    </form>
  );
}

/** The page frame: header with navigation and language switch, a flash region, the main content. */
export function Layout({ t, locale, user, title, path, children }: LayoutProps) {
  const current = (href: string) => (path === href || path.startsWith(`${href}/`) ? 'page' : undefined);
  return (
    <html lang={htmlLang[locale]}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${title} · ${t.appName}`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/style.css" />
        <script src="/assets/htmx.min.js" defer />
        <script src="/assets/app.js" defer />
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skipToContent}
        </a>
        <header class="topbar">
          <a class="brand" href="/">
            {t.appName}
          </a>
          <nav aria-label={t.mainNav}>
            {user ? (
              <ul>
                <li>
                  <a href="/kbs" aria-current={current('/kbs')}>
                    {t.navKbs}
                  </a>
                </li>
                <li>
                  <a href="/account" aria-current={path === '/account' ? 'page' : undefined}>
                    {t.navAccount}
                  </a>
                </li>
                <li>
                  <a href="/account/api-keys" aria-current={current('/account/api-keys')}>
                    {t.navApiKeys}
                  </a>
                </li>
                {user.role === 'admin' && (
                  <li>
                    <a href="/admin" aria-current={current('/admin')}>
                      {t.navAdmin}
                    </a>
                  </li>
                )}
              </ul>
            ) : (
              <ul>
                <li>
                  <a href="/login">{t.navLogin}</a>
                </li>
                <li>
                  <a href="/signup">{t.navSignup}</a>
                </li>
              </ul>
            )}
          </nav>
          <div class="topbar-end">
            <LanguageSwitch t={t} locale={locale} path={path} />
            {user && (
              <form method="post" action="/logout">
                <button type="submit" class="link-button" title={user.email}>
                  {t.navLogout}
                </button>
              </form>
            )}
          </div>
        </header>
        <div id="flash" aria-live="polite" />
        <main id="main" tabindex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
