import { Hono } from 'hono';
import type { Deps } from '../../core/deps.ts';
import { search, searchRequestSchema } from '../../core/search/index.ts';
import type { AppEnv } from '../../http/env.ts';
import { validate } from '../../http/validate.ts';

/** `POST /api/search`: three-layer retrieval over one of the caller's KBs. */
export function searchRoutes(deps: Deps) {
  return new Hono<AppEnv>().post('/', validate('json', searchRequestSchema), async (c) =>
    c.json(await search(deps, c.get('principal'), c.req.valid('json'))),
  );
}
