import { beforeAll, describe, expect, it } from 'vitest';
import { createRootApp } from '../../services/root.ts';
import { client } from '../helpers/http.ts';
import { consolePosts } from './routes.ts';
import { type Client, signIn, type World } from './world.ts';

let world: World;
let root: Client;
let cookie: string;

/** A multipart form whose field `asFile` carries a file instead of text. */
function formWithFile(fields: Record<string, string>, asFile: string): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (name === asFile) form.append(name, new File([`planted ${value}`], 'planted.txt', { type: 'text/plain' }));
    else form.append(name, value);
  }
  return form;
}

/** Console forms take text fields as text only. */
export function consoleFormsSuite(get: () => World): void {
  describe('console form fields', () => {
    beforeAll(async () => {
      world = get();
      root = client(createRootApp(world.deps));
      cookie = await signIn(root, world.alice.email);
    });

    it('refuse a file posted in a text field with 400 on every form, and save nothing', async () => {
      const { alice, bob } = world;
      const failures: string[] = [];
      for (const htmx of [false, true]) {
        for (const { path, fields, upload } of consolePosts(alice, bob)) {
          if (upload) continue;
          for (const name of Object.keys(fields)) {
            const headers: Record<string, string> = { cookie, origin: 'http://localhost' };
            if (htmx) headers['hx-request'] = 'true';
            const res = await root.call('POST', path, { body: formWithFile(fields, name), headers });
            if (res.status !== 400)
              failures.push(`${htmx ? 'htmx ' : ''}POST ${path} with ${name} as a file -> ${res.status}`);
            else expect(res.text, path).toMatch(/must be text/);
          }
        }
      }
      expect(failures).toEqual([]);
      const as = { token: alice.token };
      const saved = [
        ...(await root.call('GET', '/api/kbs', as)).json.items.map((k: { title: string }) => k.title),
        ...(await root.call('GET', `/api/kbs/${alice.kbId}/notes`, as)).json.items.map(
          (n: { title: string }) => n.title,
        ),
        ...(await root.call('GET', '/api/api-keys', as)).json.items.map((k: { name: string }) => k.name),
      ];
      expect(saved).not.toContain('[object File]');
      expect(saved).toEqual(expect.arrayContaining([alice.kbTitle]));
      expect((await root.call('GET', `/api/chat/sessions/${alice.sessionId}/messages`, as)).json.items).toEqual([]);
      expect((await root.call('GET', '/api/auth/me', { token: bob.token })).json.user.role).toBe('user');
    });
  });
}
