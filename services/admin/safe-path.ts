const BASE = 'http://console.invalid';

/**
 * `value` when it is a path on this site, else `fallback`. Browsers treat `\` like `/` and drop
 * tabs and newlines, so `/\evil.example` or `/<tab>/evil.example` would leave the site:
 * anything with those characters, or that resolves to another host, is refused.
 */
export function safeLocalPath(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\\\u0000-\u001f\u007f]/.test(value) || value.startsWith('//')) return fallback;
  try {
    const url = new URL(value, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
