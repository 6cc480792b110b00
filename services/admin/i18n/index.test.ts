import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { fmt, pickLocale } from './index.ts';
import { zh } from './zh.ts';

describe('pickLocale', () => {
  it('follows the cookie over the browser', () => {
    expect(pickLocale('zh', 'en-US,en;q=0.9')).toBe('zh');
    expect(pickLocale('en', 'zh-CN,zh;q=0.9')).toBe('en');
  });

  it('takes the best ranked language the console speaks', () => {
    expect(pickLocale(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(pickLocale(undefined, 'fr-FR,en;q=0.5,zh;q=0.7')).toBe('zh');
    expect(pickLocale(undefined, 'de-DE,en-GB;q=0.8')).toBe('en');
  });

  it('falls back to English for unknown or missing preferences and ignores q=0', () => {
    expect(pickLocale('xx', undefined)).toBe('en');
    expect(pickLocale(undefined, 'fr, de')).toBe('en');
    expect(pickLocale(undefined, 'zh;q=0, en;q=0.1')).toBe('en');
  });
});

describe('dictionaries', () => {
  it('translate every English string into non-empty Chinese', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(zh[key], key).toBeTruthy();
    }
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('keep the same placeholders in both languages', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as Array<keyof typeof en>) expect(holes(zh[key]), key).toEqual(holes(en[key]));
  });

  it('fill placeholders', () => {
    expect(fmt(en.searchTook, { n: 3, ms: 12, mode: 'flat' })).toBe('Hits: 3 · 12 ms · flat');
  });
});
