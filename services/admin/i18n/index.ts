import { type Dict, en, type MessageKey } from './en.ts';
import { zh } from './zh.ts';

export type { Dict, MessageKey };
export type Locale = 'en' | 'zh';

export const LOCALE_COOKIE = 'cos_lang';
export const dictionaries: Record<Locale, Dict> = { en, zh };
/** The `lang` attribute of each locale. */
export const htmlLang: Record<Locale, string> = { en: 'en', zh: 'zh-CN' };

export const isLocale = (v: unknown): v is Locale => v === 'en' || v === 'zh';

/**
 * The cookie's choice when set, else the first language of Accept-Language (by q) the
 * console speaks, else English.
 */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Fills `{name}` placeholders. */
export function fmt(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A translated message when `key` is a dictionary key, else `key` itself. */
export function translate(t: Dict, key: string): string {
  return key in t ? t[key as MessageKey] : key;
}
