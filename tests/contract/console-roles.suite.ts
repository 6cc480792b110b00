import { beforeAll, describe, expect, it } from 'vitest';
import { createRootApp } from '../../services/root.ts';
import { client } from '../helpers/http.ts';
import { allows, type ConsoleCall, consoleRoutes, formOf } from './routes.ts';
import { type Role, type Team, type TeamMaker, teamMaker } from './team.ts';
import type { Client, World } from './world.ts';

let world: World;
let root: Client;
let maker: TeamMaker;

/** A console request as a browser on this site sends it, with the role's session cookie. */
const request = (call: ConsoleCall, token: string, htmx: boolean) => {
  const headers: Record<string, string> = { cookie: `cos_session=${token}`, origin: 'http://localhost' };
  if (htmx) headers['hx-request'] = 'true';
  return root.call(call.method, call.path, { body: formOf(call), headers });
};

const label = (call: ConsoleCall, role: string, htmx: boolean) =>
  `${role}${htmx ? ' (htmx)' : ''}: ${call.method} ${call.path}`;

/** The console follows the same roles as the API: every page and form, every role. */
export function consoleRolesSuite(get: () => World): void {
  describe('the console on a shared knowledge base', () => {
    let team: Team;
    beforeAll(async () => {
      world = get();
      root = client(createRootApp(world.deps));
      maker = await teamMaker(world, 'desk');
      team = await maker.seed();
    }, 60_000);

    it('answers 403 to a member without the right and 404 to anyone else, pages and fragments, changing nothing', async () => {
      const failures: string[] = [];
      for (const htmx of [false, true]) {
        for (const call of consoleRoutes(team.kb)) {
          for (const role of ['viewer', 'editor'] as const) {
            if (allows(call.needs, role)) continue;
            const res = await request(call, team.tokens[role], htmx);
            const expected = call.needs === 'creator' ? 404 : 403;
            if (res.status !== expected) failures.push(`${label(call, role, htmx)} -> ${res.status}`);
          }
        }
      }
      expect(failures).toEqual([]);
      const as = { token: team.tokens.owner };
      expect((await root.call('GET', `/api/kbs/${team.kb.kbId}`, as)).json.kb.title).toBe(team.kb.kbTitle);
      expect((await root.call('GET', `/api/notes/${team.kb.noteId}`, as)).json.note).toMatchObject({ shared: false });
      expect((await root.call('GET', `/api/kbs/${team.kb.kbId}/notes`, as)).json.items).toHaveLength(1);
      expect((await root.call('GET', `/api/kbs/${team.kb.kbId}/members`, as)).json.items).toHaveLength(4);
    });

    it('lets each role use every page and form it may (consuming ones on fresh resources)', async () => {
      const failures: string[] = [];
      const calls = consoleRoutes(team.kb);
      for (const [i, call] of calls.entries()) {
        for (const role of ['viewer', 'editor', 'owner'] as const) {
          if (!allows(call.needs, role)) continue;
          const target = call.consumes ? await maker.seed() : team;
          const mine = call.consumes ? consoleRoutes(target.kb)[i] : call;
          const res = await request(mine, target.tokens[role], false);
          // Allowed means not refused: an invalid form on purpose answers 400 with its errors.
          if (res.status === 403 || res.status === 404 || res.status >= 500) {
            failures.push(`${label(mine, role, false)} -> ${res.status}`);
          }
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);

    it('shows each role the controls it may use, and the members tab to all', async () => {
      const t = await maker.seed();
      const pageOf = async (path: string, role: Role) =>
        (await request({ method: 'GET', path, needs: 'read' }, t.tokens[role], false)).text;
      const viewerKb = await pageOf(`/kbs/${t.kb.kbId}`, 'viewer');
      expect(viewerKb).toContain('id="viewer-notice"');
      expect(viewerKb).not.toContain('id="upload-form"');
      expect(viewerKb).not.toContain(`/documents/${t.kb.documentId}/delete`);
      expect(viewerKb).not.toContain(`/kbs/${t.kb.kbId}/edit`);
      expect(viewerKb).toContain(`/kbs/${t.kb.kbId}/members`);
      const editorKb = await pageOf(`/kbs/${t.kb.kbId}`, 'editor');
      expect(editorKb).toContain('id="upload-form"');
      expect(editorKb).not.toContain(`/kbs/${t.kb.kbId}/edit`);
      expect(await pageOf(`/kbs/${t.kb.kbId}`, 'owner')).toContain(`/kbs/${t.kb.kbId}/edit`);
      expect(await pageOf(`/notes/${t.kb.noteId}`, 'viewer')).toContain('id="note-view"');
      expect(await pageOf(`/notes/${t.kb.noteId}`, 'editor')).toContain('id="note-edit"');
      const viewerMembers = await pageOf(`/kbs/${t.kb.kbId}/members`, 'viewer');
      expect(viewerMembers).toContain(maker.people.editor.email);
      expect(viewerMembers).not.toContain('id="member-add"');
      expect(await pageOf(`/kbs/${t.kb.kbId}/members`, 'owner')).toContain('id="member-add"');
    });
  });
}
