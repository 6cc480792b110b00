import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { gatewayRoutes } from './routes.ts';
import type { Owned } from './world.ts';

/** Ids that stand for one user's resources; only the shape of the paths matters here. */
const owner: Owned = {
  token: 't',
  userId: 'user-1',
  email: 'owner@contract.example',
  kbId: 'kb-1',
  kbTitle: 'kb',
  documentId: 'doc-1',
  sessionId: 'session-1',
  noteId: 'note-1',
  apiKeyId: 'key-1',
  apiKey: 'cos_key',
  memberUserId: 'member-1',
  outsiderEmail: 'outsider@contract.example',
  secrets: [],
};

/** `/api/kbs/:kbId` as a pattern matching one path segment per parameter. */
const pattern = (route: string) =>
  new RegExp(`^${route.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`);

describe('the contract route table', () => {
  let deps: TestDeps;
  let routes: Array<{ method: string; path: string }>;
  beforeAll(async () => {
    deps = await createTestDeps();
    const seen = new Set<string>();
    routes = createApp(deps)
      .routes.filter((r) => r.method !== 'ALL')
      .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
  });
  afterAll(() => deps.cleanup());

  const table = gatewayRoutes(owner).map((r) => ({ method: r.method, path: r.path.split('?')[0] ?? r.path }));

  it('names every route the gateway serves, so the 401, 404, role, CSRF and hostile-input suites reach it', () => {
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes
      .filter((r) => !table.some((t) => t.method === r.method && pattern(r.path).test(t.path)))
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('names no route the gateway does not serve', () => {
    const stale = table
      .filter((t) => !routes.some((r) => r.method === t.method && pattern(r.path).test(t.path)))
      .map((t) => `${t.method} ${t.path}`);
    expect(stale).toEqual([]);
  });
});
