import { beforeAll, describe, expect, it } from 'vitest';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';
import { adminRoutes, allows, ownedRoutes, type RouteCall } from './routes.ts';
import { type Role, type Team, type TeamMaker, teamMaker } from './team.ts';
import { expectErrorShape, type World } from './world.ts';

let world: World;

let maker: TeamMaker;

const label = (r: RouteCall, role: string) => `${role}: ${r.method} ${r.path}`;

/** Every role against every resource route: allowed, 403 for a member without the right, 404 for a non-member. */
export function rolesSuite(get: () => World): void {
  describe('roles on a shared knowledge base', () => {
    let team: Team;
    beforeAll(async () => {
      world = get();
      maker = await teamMaker(world, 'team');
      team = await maker.seed();
    }, 60_000);

    it('answers 404 to a non-member and 403 to a member without the right, on every route, changing nothing', async () => {
      const { api } = world;
      const failures: string[] = [];
      const cases: Array<[Role | 'outsider', RouteCall]> = [];
      for (const r of ownedRoutes(team.kb)) {
        cases.push(['outsider', r]);
        for (const role of ['viewer', 'editor'] as const) if (!allows(r.needs, role)) cases.push([role, r]);
      }
      for (const [who, r] of cases) {
        const res = await api.call(r.method, r.path, { body: r.body, token: team.tokens[who] });
        const expected = who === 'outsider' || r.needs === 'creator' ? 404 : 403;
        if (res.status !== expected) failures.push(`${label(r, who)} -> ${res.status} ${res.text.slice(0, 160)}`);
        else {
          expectErrorShape(res);
          expect(res.json.error.code).toBe(expected === 403 ? 'forbidden' : 'not_found');
        }
        if (who === 'outsider' && res.text.includes(team.kb.kbTitle))
          failures.push(`${label(r, who)} leaked the title`);
      }
      expect(failures).toEqual([]);
      const as = { token: team.tokens.owner };
      const kb = await api.call('GET', `/api/kbs/${team.kb.kbId}`, as);
      expect(kb.json.kb).toMatchObject({ title: team.kb.kbTitle, role: 'owner' });
      expect((await api.call('GET', `/api/kbs/${team.kb.kbId}/documents`, as)).json.items).toHaveLength(1);
      expect((await api.call('GET', `/api/notes/${team.kb.noteId}`, as)).json.note).toMatchObject({ shared: false });
      const members = (await api.call('GET', `/api/kbs/${team.kb.kbId}/members`, as)).json.items;
      expect(members.map((m: { role: string }) => m.role).sort()).toEqual(['editor', 'owner', 'viewer', 'viewer']);
    });

    it('lets each role do what it may on every route (consuming calls on fresh resources)', async () => {
      const { api } = world;
      const failures: string[] = [];
      const routes = ownedRoutes(team.kb);
      for (const [i, r] of routes.entries()) {
        for (const role of ['viewer', 'editor', 'owner'] as const) {
          if (!allows(r.needs, role)) continue;
          // A consuming call gets its own fresh KB, so the other roles' calls still find what they address.
          const target = r.consumes ? await maker.seed() : team;
          const call = r.consumes ? ownedRoutes(target.kb)[i] : r;
          const res = await api.call(call.method, call.path, { body: call.body, token: target.tokens[role] });
          if (res.status >= 300) failures.push(`${label(call, role)} -> ${res.status} ${res.text.slice(0, 160)}`);
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);

    it('shows each member the KB with their own role', async () => {
      const { api } = world;
      for (const role of ['viewer', 'editor', 'owner'] as const) {
        const list = await api.call('GET', '/api/kbs', { token: team.tokens[role] });
        const kb = list.json.items.find((k: { id: string }) => k.id === team.kb.kbId);
        expect(kb, role).toMatchObject({ id: team.kb.kbId, role });
      }
      const outsider = await api.call('GET', '/api/kbs', { token: team.tokens.outsider });
      expect(outsider.text).not.toContain(team.kb.kbId);
    });

    it('keeps chat sessions private to the member who opened them', async () => {
      const { api } = world;
      const t = await maker.seed();
      const viewer = { token: t.tokens.viewer };
      const mine = await api.call('POST', '/api/chat/sessions', { ...viewer, body: { kbId: t.kb.kbId } });
      expect(mine.status).toBe(201);
      const answer = await api.call('POST', `/api/chat/sessions/${mine.json.session.id}/messages`, {
        ...viewer,
        body: { content: 'When does the procedure start?' },
      });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json.citations.length).toBeGreaterThan(0);
      for (const role of ['owner', 'editor'] as const) {
        const as = { token: t.tokens[role] };
        expect((await api.call('GET', `/api/chat/sessions/${mine.json.session.id}/messages`, as)).status).toBe(404);
        const listed = await api.call('GET', `/api/chat/sessions?kbId=${t.kb.kbId}`, as);
        expect(listed.text).not.toContain(mine.json.session.id);
      }
      const own = await api.call('GET', `/api/chat/sessions?kbId=${t.kb.kbId}`, viewer);
      expect(own.json.items.map((s: { id: string }) => s.id)).toEqual([mine.json.session.id]);
    });

    it('takes a removed member out at once: search (cached results too), chat, documents, /v1', async () => {
      const { api } = world;
      const t = await maker.seed();
      const viewer = { token: t.tokens.viewer };
      const query = { kbId: t.kb.kbId, query: `${t.kb.secrets[0]} procedure dawn` };
      const first = await api.call('POST', '/api/search', { ...viewer, body: query });
      expect(first.status).toBe(200);
      expect(first.json.hits.length).toBeGreaterThan(0);
      const session = (await api.call('POST', '/api/chat/sessions', { ...viewer, body: { kbId: t.kb.kbId } })).json
        .session.id;
      const key = (await api.call('POST', '/api/api-keys', { ...viewer, body: { name: 'v1' } })).json.key;
      const models = await api.call('GET', '/v1/models', { token: key });
      expect(models.text).toContain(`kb:${t.kb.kbId}`);
      // The same search again is served from the cache.
      expect((await api.call('POST', '/api/search', { ...viewer, body: query })).json.hits).toEqual(first.json.hits);

      const me = (await api.call('GET', '/api/auth/me', viewer)).json.user.id;
      const removed = await api.call('DELETE', `/api/kbs/${t.kb.kbId}/members/${me}`, { token: t.tokens.owner });
      expect(removed.status).toBe(204);

      const after = await api.call('POST', '/api/search', { ...viewer, body: query });
      expect(after.status).toBe(404);
      expect(after.text).not.toContain('procedure starts');
      expect((await api.call('GET', `/api/chat/sessions/${session}/messages`, viewer)).status).toBe(404);
      const ask = await api.call('POST', `/api/chat/sessions/${session}/messages`, {
        ...viewer,
        body: { content: 'procedure?' },
      });
      expect(ask.status).toBe(404);
      expect((await api.call('GET', `/api/documents/${t.kb.documentId}`, viewer)).status).toBe(404);
      expect((await api.call('GET', '/api/chat/sessions', viewer)).text).not.toContain(session);
      expect((await api.call('GET', '/v1/models', { token: key })).text).not.toContain(t.kb.kbId);
      const v1 = await api.call('POST', '/v1/chat/completions', {
        token: key,
        body: { model: `kb:${t.kb.kbId}`, messages: [{ role: 'user', content: 'procedure?' }] },
      });
      expect(v1.status).toBe(404);
    });

    it('promotes a viewer to editor, who can then upload, and refuses to demote or remove the owner', async () => {
      const { api } = world;
      const t = await maker.seed();
      const viewer = { token: t.tokens.viewer };
      const body = { title: 'by the viewer' };
      expect((await api.call('POST', `/api/kbs/${t.kb.kbId}/notes`, { ...viewer, body })).status).toBe(403);
      const me = (await api.call('GET', '/api/auth/me', viewer)).json.user.id;
      const promoted = await api.call('PATCH', `/api/kbs/${t.kb.kbId}/members/${me}`, {
        token: t.tokens.owner,
        body: { role: 'editor' },
      });
      expect(promoted.status).toBe(200);
      expect(promoted.json.member).toMatchObject({ user: { id: me }, role: 'editor' });
      expect((await api.call('POST', `/api/kbs/${t.kb.kbId}/notes`, { ...viewer, body })).status).toBe(201);
      const owner = world.alice.userId;
      for (const [method, body] of [
        ['PATCH', { role: 'viewer' }],
        ['DELETE', undefined],
      ] as const) {
        const res = await api.call(method, `/api/kbs/${t.kb.kbId}/members/${owner}`, { token: t.tokens.owner, body });
        expect(res.status, method).toBe(409);
      }
      const bad = await api.call('POST', `/api/kbs/${t.kb.kbId}/members`, {
        token: t.tokens.owner,
        body: { email: 'nobody@contract.example', role: 'owner' },
      });
      expect(bad.status).toBe(400);
    });

    it("keeps an editor's upload in the KB's one partition, found by every member and by no other KB", async () => {
      const { api, deps } = world;
      const t = await maker.seed();
      const up = await api.call('POST', `/api/kbs/${t.kb.kbId}/documents`, {
        token: t.tokens.editor,
        body: fileForm('wombat.md', '# Wombats\n\nThe wombat burrow census happens every autumn.\n'),
      });
      expect(up.status).toBe(202);
      expect((await waitForDocument(api, t.tokens.editor, up.json.document.id)).status).toBe('completed');
      const editorId = maker.people.editor.userId;
      expect(await deps.vectors.count({ userId: editorId })).toBe(0);
      expect(await deps.vectors.count({ userId: world.alice.userId, kbId: t.kb.kbId })).toBeGreaterThan(0);
      for (const role of ['viewer', 'owner'] as const) {
        const res = await api.call('POST', '/api/search', {
          token: t.tokens[role],
          body: { kbId: t.kb.kbId, query: 'wombat burrow census', mode: 'flat', hybrid: true },
        });
        expect(res.json.hits[0]?.document.fileName, role).toBe('wombat.md');
      }
      const other = await api.call('POST', '/api/search', {
        token: world.alice.token,
        body: { kbId: world.alice.kbId, query: 'wombat burrow census', mode: 'flat', hybrid: true },
      });
      expect(other.status).toBe(200);
      expect(JSON.stringify(other.json.hits)).not.toMatch(/wombat/i);
    });

    it('lets a member leave on their own', async () => {
      const { api } = world;
      const t = await maker.seed();
      const me = (await api.call('GET', '/api/auth/me', { token: t.tokens.viewer })).json.user.id;
      const left = await api.call('DELETE', `/api/kbs/${t.kb.kbId}/members/${me}`, { token: t.tokens.viewer });
      expect(left.status).toBe(204);
      expect((await api.call('GET', `/api/kbs/${t.kb.kbId}`, { token: t.tokens.viewer })).status).toBe(404);
    });

    it('limits an API key to some knowledge bases: the others do not exist for it', async () => {
      const { api } = world;
      const [a, b] = [await maker.seed(), await maker.seed()];
      const editor = { token: maker.people.editor.token };
      const created = await api.call('POST', '/api/api-keys', {
        ...editor,
        body: { name: 'only a', kbIds: [a.kb.kbId] },
      });
      expect(created.status, created.text).toBe(201);
      expect(created.json.apiKey).toMatchObject({ kbIds: [a.kb.kbId], readOnly: false });
      const key = { token: created.json.key };
      const listed = await api.call('GET', '/api/kbs', key);
      expect(listed.json.items.map((k: { id: string }) => k.id)).toEqual([a.kb.kbId]);
      expect(
        (await api.call('POST', '/api/search', { ...key, body: { kbId: a.kb.kbId, query: 'procedure' } })).status,
      ).toBe(200);
      const upload = await api.call('POST', `/api/kbs/${a.kb.kbId}/documents`, {
        ...key,
        body: fileForm('k.txt', 'key upload'),
      });
      expect(upload.status).toBe(202);
      for (const [method, path, body] of [
        ['POST', '/api/search', { kbId: b.kb.kbId, query: 'procedure' }],
        ['GET', `/api/kbs/${b.kb.kbId}`, undefined],
        ['GET', `/api/documents/${b.kb.documentId}`, undefined],
        ['GET', `/api/notes/${b.kb.noteId}`, undefined],
        ['POST', '/api/chat/sessions', { kbId: b.kb.kbId }],
      ] as const) {
        expect((await api.call(method, path, { ...key, body })).status, path).toBe(404);
      }
      const models = await api.call('GET', '/v1/models', key);
      expect(models.text).toContain(`kb:${a.kb.kbId}`);
      expect(models.text).not.toContain(b.kb.kbId);
      const v1 = await api.call('POST', '/v1/chat/completions', {
        ...key,
        body: { model: `kb:${b.kb.kbId}`, messages: [{ role: 'user', content: 'procedure?' }] },
      });
      expect(v1.status).toBe(404);
      const foreign = await api.call('POST', '/api/api-keys', {
        ...editor,
        body: { name: 'x', kbIds: [world.bob.kbId] },
      });
      expect(foreign.status).toBe(404);
    });

    it('keeps a read-only key to search, chat and /v1, and a key never above its owner', async () => {
      const { api } = world;
      const t = await maker.seed();
      const made = await api.call('POST', '/api/api-keys', {
        token: maker.people.editor.token,
        body: { name: 'reader', readOnly: true, kbIds: [t.kb.kbId] },
      });
      const key = { token: made.json.key };
      const listed = (await api.call('GET', '/api/kbs', key)).json.items;
      expect(listed).toEqual([expect.objectContaining({ id: t.kb.kbId, role: 'viewer' })]);
      expect(
        (await api.call('POST', '/api/search', { ...key, body: { kbId: t.kb.kbId, query: 'procedure' } })).status,
      ).toBe(200);
      const session = await api.call('POST', '/api/chat/sessions', { ...key, body: { kbId: t.kb.kbId } });
      expect(session.status).toBe(201);
      const asked = await api.call('POST', `/api/chat/sessions/${session.json.session.id}/messages`, {
        ...key,
        body: { content: 'When does the procedure start?' },
      });
      expect(asked.status).toBe(200);
      const v1 = await api.call('POST', '/v1/chat/completions', {
        ...key,
        body: { model: `kb:${t.kb.kbId}`, messages: [{ role: 'user', content: 'procedure?' }] },
      });
      expect(v1.status).toBe(200);
      for (const [method, path, body] of [
        ['POST', `/api/kbs/${t.kb.kbId}/documents`, fileForm('r.txt', 'read only')],
        ['POST', `/api/documents/${t.kb.documentId}/reprocess`, undefined],
        ['DELETE', `/api/documents/${t.kb.documentId}`, undefined],
        ['POST', `/api/kbs/${t.kb.kbId}/notes`, { title: 'nope' }],
        ['PATCH', `/api/notes/${t.kb.noteId}`, { content: 'nope' }],
        ['POST', '/api/kbs', { title: 'nope' }],
        ['POST', '/api/api-keys', { name: 'escalate' }],
        ['DELETE', `/api/api-keys/${made.json.apiKey.id}`, undefined],
        ['POST', '/api/auth/password', { currentPassword: 'correct horse battery', newPassword: 'escalated password' }],
      ] as const) {
        const res = await api.call(method, path, { ...key, body });
        expect(res.status, `${method} ${path}`).toBe(403);
      }
      // A viewer's unlimited key still cannot write: the membership decides, on every request.
      const viewerKey = (
        await api.call('POST', '/api/api-keys', { token: maker.people.viewer.token, body: { name: 'v' } })
      ).json.key;
      const up = await api.call('POST', `/api/kbs/${t.kb.kbId}/documents`, {
        token: viewerKey,
        body: fileForm('v.txt', 'v'),
      });
      expect(up.status).toBe(403);
      await api.call('DELETE', `/api/kbs/${t.kb.kbId}/members/${maker.people.editor.userId}`, {
        token: t.tokens.owner,
      });
      expect(
        (await api.call('POST', '/api/search', { ...key, body: { kbId: t.kb.kbId, query: 'procedure' } })).status,
      ).toBe(404);
    });

    it('keeps administrators out of KBs they are not members of, and others out of administration', async () => {
      const { api } = world;
      // alice (the first account) is the admin; bob is not: the admin routes are 403 for him.
      for (const r of adminRoutes(world.bob)) {
        const res = await api.call(r.method, r.path, { body: r.body, token: world.bob.token });
        expect(res.status, `${r.method} ${r.path}`).toBe(403);
      }
      expect((await api.call('GET', `/api/kbs/${world.bob.kbId}`, { token: world.alice.token })).status).toBe(404);
    });
  });
}
