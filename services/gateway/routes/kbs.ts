import { Hono } from 'hono';
import { z } from 'zod';
import { assertKnownModel } from '../../core/chat/models.ts';
import type { Deps } from '../../core/deps.ts';
import { deleteKb } from '../../core/kbs/delete.ts';
import { createKb, getKb, listKbs, updateKb } from '../../core/kbs/index.ts';
import type { AppEnv } from '../../http/env.ts';
import { validate } from '../../http/validate.ts';

const title = z.string().trim().min(1, 'must not be empty').max(200);
const description = z.string().max(2000);
const chatModel = z.string().trim().min(1).max(200).nullable();
const createBody = z.strictObject({ title, description: description.optional(), chatModel: chatModel.optional() });
const patchBody = z
  .strictObject({ title: title.optional(), description: description.optional(), chatModel: chatModel.optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');

/** Knowledge bases, each visible to its owner only. */
export function kbRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .get('/', (c) => c.json({ items: listKbs(deps.db, c.get('user').id) }))
    .post('/', validate('json', createBody), async (c) => {
      const body = c.req.valid('json');
      if (body.chatModel) await assertKnownModel(deps, body.chatModel);
      return c.json({ kb: createKb(deps.db, c.get('user').id, body) }, 201);
    })
    .get('/:kbId', (c) => c.json({ kb: getKb(deps.db, c.get('user').id, c.req.param('kbId')) }))
    .patch('/:kbId', validate('json', patchBody), async (c) => {
      const body = c.req.valid('json');
      getKb(deps.db, c.get('user').id, c.req.param('kbId'));
      if (body.chatModel) await assertKnownModel(deps, body.chatModel);
      return c.json({ kb: updateKb(deps.db, c.get('user').id, c.req.param('kbId'), body) });
    })
    .delete('/:kbId', async (c) => {
      await deleteKb(deps, c.get('user').id, c.req.param('kbId'));
      return c.body(null, 204);
    });
}
