import { afterEach, describe, expect, it } from 'vitest';
import { createApp as createConsole } from '../../services/admin/app.tsx';
import { createApp as createGateway } from '../../services/gateway/app.ts';
import { createRootApp } from '../../services/root.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';

const PASSWORD = 'correct horse battery';
const opened: TestDeps[] = [];
afterEach(async () => {
  for (const deps of opened.splice(0).reverse()) await deps.cleanup();
});

async function open(env: Record<string, string> = {}) {
  const deps = await createTestDeps(env);
  opened.push(deps);
  return deps;
}

type Door = (email: string, password: string) => Promise<number>;

/** The two doors of one installation: the API's JSON login and the console's login form. */
function doors(api: ReturnType<typeof client>, consoleApi = api): { api: Door; console: Door } {
  return {
    api: async (email, password) => (await api.call('POST', '/api/auth/login', { body: { email, password } })).status,
    console: async (email, password) => {
      const body = new FormData();
      body.append('email', email);
      body.append('password', password);
      return (await consoleApi.call('POST', '/login', { body, headers: { origin: 'http://localhost' } })).status;
    },
  };
}

describe('sign-in budget', () => {
  it('is one per account, whichever door the attempts come through', async () => {
    const api = client(createRootApp(await open()));
    await api.register('ada@budget.example', PASSWORD);
    const door = doors(api);
    for (let i = 0; i < 5; i++) expect(await door.api('ada@budget.example', `wrong ${i}`)).toBe(401);
    for (let i = 0; i < 5; i++) expect(await door.console('ADA@budget.example', `wrong ${i}`)).toBe(401);
    expect(await door.console('ada@budget.example', PASSWORD)).toBe(429);
    expect(await door.api('ada@budget.example', PASSWORD)).toBe(429);
  });

  it('is cleared for the account by a successful sign-in at either door', async () => {
    const api = client(createRootApp(await open()));
    await api.register('bea@budget.example', PASSWORD);
    const door = doors(api);
    for (let i = 0; i < 9; i++) expect(await door.api('bea@budget.example', `wrong ${i}`)).toBe(401);
    expect(await door.console('bea@budget.example', PASSWORD)).toBe(303);
    for (let i = 0; i < 9; i++) expect(await door.console('bea@budget.example', `wrong ${i}`)).toBe(401);
    expect(await door.api('bea@budget.example', PASSWORD)).toBe(200);
  });

  it('is one per address across both doors and every account', async () => {
    const api = client(createRootApp(await open()));
    const door = doors(api);
    for (let i = 0; i < 15; i++) {
      expect(await door.api(`guess${i}@budget.example`, 'wrong')).toBe(401);
      expect(await door.console(`other${i}@budget.example`, 'wrong')).toBe(401);
    }
    expect(await door.console('fresh@budget.example', 'wrong')).toBe(429);
    expect(await door.api('fresh2@budget.example', 'wrong')).toBe(429);
  });

  it('is shared by a gateway and a console running as separate processes over one database', async () => {
    const gatewayDeps = await open();
    const consoleDeps = await open({ DATA_DIR: gatewayDeps.dataDir });
    const gateway = client(createGateway(gatewayDeps));
    await gateway.register('cy@budget.example', PASSWORD);
    const door = doors(gateway, client(createConsole(consoleDeps)));
    for (let i = 0; i < 10; i++) expect(await door.api('cy@budget.example', `wrong ${i}`)).toBe(401);
    expect(await door.console('cy@budget.example', PASSWORD)).toBe(429);
  });

  it('counts sign-ups per address across both doors', async () => {
    const api = client(createRootApp(await open()));
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      if (i % 2 === 0) {
        const res = await api.call('POST', '/api/auth/register', {
          body: { email: `new${i}@budget.example`, password: PASSWORD },
        });
        statuses.push(res.status);
      } else {
        const body = new FormData();
        body.append('email', `new${i}@budget.example`);
        body.append('password', PASSWORD);
        statuses.push((await api.call('POST', '/signup', { body, headers: { origin: 'http://localhost' } })).status);
      }
    }
    expect(statuses.slice(0, 20).every((s) => s === 201 || s === 303)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
