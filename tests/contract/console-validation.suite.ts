import { beforeAll, describe, expect, it } from 'vitest';
import { createRootApp } from '../../services/root.ts';
import { client } from '../helpers/http.ts';
import { type Client, signIn, type World } from './world.ts';

let world: World;
let root: Client;
let cookie: string;

const errorLines = (w: World) => w.deps.logLines.filter((l) => JSON.parse(l).level >= 50);

/** Input the console refuses answers 400 with a readable message, never a logged 500. */
export function consoleValidationSuite(get: () => World): void {
  describe('console input validation', () => {
    beforeAll(async () => {
      world = get();
      root = client(createRootApp(world.deps));
      cookie = await signIn(root, world.alice.email);
    });

    it('answers a search query over 2000 characters with 400 and names the problem, as the API does', async () => {
      const { alice } = world;
      const before = errorLines(world).length;
      const q = encodeURIComponent('lighthouse '.repeat(200));
      const page = await root.call('GET', `/kbs/${alice.kbId}/search?q=${q}&mode=flat`, { headers: { cookie } });
      expect(page.status, page.text.slice(0, 300)).toBe(400);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.text).toContain('q: Too long.');
      const htmx = await root.call('GET', `/kbs/${alice.kbId}/search?q=${q}`, {
        headers: { cookie, 'hx-request': 'true', 'hx-target': 'search-results' },
      });
      expect(htmx.status).toBe(400);
      expect(htmx.headers.get('hx-retarget')).toBe('#flash');
      expect(htmx.text).toContain('role="alert"');
      const zh = await root.call('GET', `/kbs/${alice.kbId}/search?q=${q}`, {
        headers: { cookie, 'accept-language': 'zh' },
      });
      expect(zh.status).toBe(400);
      expect(zh.text).not.toContain('vTooLong');
      const api = await root.call('POST', '/api/search', {
        token: alice.token,
        body: { kbId: alice.kbId, query: 'lighthouse '.repeat(200) },
      });
      expect(api.status).toBe(400);
      expect(api.json.error.code).toBe('validation_failed');
      expect(errorLines(world).slice(before)).toEqual([]);
    });
  });
}
