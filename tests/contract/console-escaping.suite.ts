import { beforeAll, describe, expect, it } from 'vitest';
import { createRootApp } from '../../services/root.ts';
import { client } from '../helpers/http.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';
import type { World } from './world.ts';

const XSS = '<img src=x onerror=alert(1)>';
/** Markup that must never come back unescaped from any page. */
const UNESCAPED = /<img src=x onerror|<script>alert|<svg onload/i;

let world: World;
let root: ReturnType<typeof client>;
let token: string;
let cookie: string;
/** The admin's session, for the pages that list every user's data. */
let adminCookie: string;
let ids: { kbId: string; documentId: string; sessionId: string; noteId: string };

/** Console pages, fragments and streamed answers escape what users, documents and models wrote. */
export function consoleEscapingSuite(get: () => World): void {
  describe('console pages escape what users and models wrote', () => {
    beforeAll(async () => {
      world = get();
      root = client(createRootApp(world.deps));
      const admin = await root.call('POST', '/api/auth/login', {
        body: { email: world.alice.email, password: 'correct horse battery' },
      });
      adminCookie = (admin.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const login = await root.call('POST', '/api/auth/register', {
        body: { email: 'xss@contract.example', password: 'a long password', name: `${XSS} name` },
      });
      token = login.json.token;
      cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const as = { token };
      const kbId = (await root.call('POST', '/api/kbs', { ...as, body: { title: `${XSS} kb`, description: XSS } })).json
        .kb.id;
      const text = `Lighthouse keepers light the lamp at dusk. ${XSS} <script>alert(2)</script> <svg onload=alert(3)>\n`;
      const up = await root.call('POST', `/api/kbs/${kbId}/documents`, { ...as, body: fileForm(`${XSS}.txt`, text) });
      expect(up.status, up.text).toBe(202);
      const documentId = up.json.document.id;
      await waitForDocument(root, token, documentId);
      const sessionId = (await root.call('POST', '/api/chat/sessions', { ...as, body: { kbId, title: `${XSS} chat` } }))
        .json.session.id;
      await root.call('POST', `/api/chat/sessions/${sessionId}/messages`, {
        ...as,
        body: { content: `When do keepers light the lamp? ${XSS}` },
      });
      const noteId = (
        await root.call('POST', `/api/kbs/${kbId}/notes`, { ...as, body: { title: `${XSS} note`, content: XSS } })
      ).json.note.id;
      await root.call('POST', '/api/api-keys', { ...as, body: { name: `${XSS} key` } });
      ids = { kbId, documentId, sessionId, noteId };
    });
    it('never returns stored markup unescaped on any page or fragment', async () => {
      const { kbId, documentId, sessionId, noteId } = ids;
      const pages = [
        '/kbs',
        `/kbs/${kbId}`,
        `/kbs/${kbId}/edit`,
        `/kbs/${kbId}/documents`,
        `/kbs/${kbId}/notes`,
        `/kbs/${kbId}/search?q=${encodeURIComponent(`lamp dusk ${XSS}`)}&mode=flat`,
        `/documents/${documentId}`,
        `/documents/${documentId}/status`,
        `/chat/${sessionId}`,
        `/notes/${noteId}`,
        '/account/api-keys',
        `/login?next=${encodeURIComponent(`/kbs"><script>alert(1)</script>`)}`,
      ];
      const failures: string[] = [];
      for (const htmx of [false, true]) {
        for (const path of pages) {
          const headers: Record<string, string> = { cookie };
          if (htmx) headers['hx-request'] = 'true';
          const res = await root.call('GET', path, { headers });
          if (res.status !== 200) failures.push(`${path} -> ${res.status}`);
          if (UNESCAPED.test(res.text)) failures.push(`${htmx ? 'htmx ' : ''}${path} returned markup unescaped`);
        }
      }
      for (const path of ['/admin/users', '/admin/jobs', '/admin/events']) {
        const res = await root.call('GET', path, { headers: { cookie: adminCookie } });
        if (res.status !== 200) failures.push(`admin ${path} -> ${res.status}`);
        if (UNESCAPED.test(res.text)) failures.push(`admin ${path} returned markup unescaped`);
      }
      expect(failures).toEqual([]);
      const kbPage = await root.call('GET', `/kbs/${kbId}`, { headers: { cookie } });
      expect(kbPage.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
      const docPage = await root.call('GET', `/documents/${documentId}`, { headers: { cookie } });
      expect(docPage.text).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    });

    it('streams a chat answer that quotes hostile passages escaped', async () => {
      const res = await root.call('POST', `/chat/${ids.sessionId}/messages`, {
        body: (() => {
          const f = new FormData();
          f.append('content', `When do keepers light the lamp? ${XSS}`);
          return f;
        })(),
        headers: { cookie, origin: 'http://localhost', accept: 'text/event-stream' },
      });
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/event: done/);
      const done = /event: done\ndata: (.*)/.exec(res.text)?.[1] ?? '""';
      const html = JSON.parse(done) as string;
      expect(html.length).toBeGreaterThan(0);
      expect(html).not.toMatch(UNESCAPED);
      expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    });

    it('sends a content security policy that forbids inline scripts on console pages', async () => {
      const res = await root.call('GET', `/kbs/${ids.kbId}`, { headers: { cookie } });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    });
  });
}
