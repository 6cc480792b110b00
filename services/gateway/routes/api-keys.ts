import { Hono } from 'hono';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../core/auth/api-keys.ts';
import type { Deps } from '../../core/deps.ts';
import type { AppEnv } from '../../http/env.ts';
import { validate } from '../../http/validate.ts';

const createBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  kbIds: z
    .array(z.string().min(1).max(100))
    .min(1, 'name at least one knowledge base, or leave it out')
    .max(100)
    .optional(),
  readOnly: z.boolean().optional(),
});

/** API keys: created (shown once, optionally limited to some KBs and to read-only use), listed, revoked. */
export function apiKeyRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .post('/', validate('json', createBody), (c) => {
      const created = createApiKey(deps.db, c.get('principal'), c.req.valid('json'));
      return c.json(created, 201);
    })
    .get('/', (c) => c.json({ items: listApiKeys(deps.db, c.get('user').id) }))
    .delete('/:id', (c) => {
      revokeApiKey(deps.db, c.get('principal'), c.req.param('id'));
      return c.body(null, 204);
    });
}
