import { beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../services/gateway/openapi/operations.ts';
import { collectionRoutes, ownedRoutes } from './routes.ts';
import type { World } from './world.ts';

/** The operation key (`METHOD /api/kbs/:kbId`) of a concrete call. */
function operationOf(method: string, path: string): string | undefined {
  const bare = path.split('?')[0];
  return Object.keys(operations).find((key) => {
    const [m, template] = key.split(' ');
    const pattern = new RegExp(`^${template.replace(/:\w+/g, '[^/]+')}$`);
    return m === method && pattern.test(bare);
  });
}

/**
 * Real answers of the contract's routes parse with the schemas the OpenAPI document shows, so
 * the document cannot drift from what the API answers.
 */
export function documentedAnswersSuite(get: () => World): void {
  describe('answers match the OpenAPI document', () => {
    let world: World;
    beforeAll(() => {
      world = get();
    });

    it('parses every successful answer of the route table with its documented schema', async () => {
      const { api, alice } = world;
      const calls = [...ownedRoutes(alice).filter((c) => !c.consumes), ...collectionRoutes];
      let checked = 0;
      for (const call of calls) {
        const key = operationOf(call.method, call.path);
        expect(key, `${call.method} ${call.path}`).toBeDefined();
        const op = operations[key ?? ''];
        const res = await api.call(call.method, call.path, { token: alice.token, body: call.body });
        if (res.status >= 300) continue;
        expect(res.status, `${key}: ${res.text}`).toBe(op.status);
        if (!op.schema) continue;
        const parsed = op.schema.safeParse(res.json);
        expect(parsed.success ? [] : parsed.error.issues, `${key}: ${res.text.slice(0, 300)}`).toEqual([]);
        checked++;
      }
      expect(checked).toBeGreaterThan(20);
    });
  });
}
