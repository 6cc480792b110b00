import { beforeAll, describe, expect, it } from 'vitest';
import { createRootApp } from '../../services/root.ts';
import { client } from '../helpers/http.ts';
import type { World } from './world.ts';

let app: ReturnType<typeof createRootApp>;

/** Targets a browser would resolve to another host, though each starts with one `/`. */
const OFFSITE = [
  '//evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  'https://evil.example',
  ' //evil.example',
];

async function post(path: string, fields: Record<string, string>) {
  const res = await app.request(`http://localhost${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
  });
  return { status: res.status, location: res.headers.get('location') };
}

/** The host a browser would go to for this Location header, seen from our own page. */
const landing = (location: string | null) => new URL(location ?? '', 'http://localhost/kbs').host;

/** The console's redirects after logging in and switching language stay on this site. */
export function consoleRedirectsSuite(get: () => World): void {
  describe('console redirects', () => {
    beforeAll(async () => {
      app = createRootApp(get().deps);
      await client(app).register('redirect@contract.example', 'a long password');
    });
    it.each(OFFSITE)('never sends a signed-in user off-site after logging in with next=%j', async (next) => {
      const res = await post('/login', { email: 'redirect@contract.example', password: 'a long password', next });
      expect(res.status).toBe(303);
      expect(landing(res.location)).toBe('localhost');
    });

    it.each(OFFSITE)('never sends the language switch off-site with back=%j', async (back) => {
      const res = await post('/lang', { lang: 'zh', back });
      expect(res.status).toBe(303);
      expect(landing(res.location)).toBe('localhost');
    });

    it('follows plain same-site paths', async () => {
      const login = await post('/login', {
        email: 'redirect@contract.example',
        password: 'a long password',
        next: '/account/api-keys?tab=1',
      });
      expect(login.location).toBe('/account/api-keys?tab=1');
      const lang = await post('/lang', { lang: 'en', back: '/kbs' });
      expect(lang.location).toBe('/kbs');
    });
  });
}
