import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../core/deps.ts';
import {
  createNote,
  deleteNote,
  getNote,
  listNotes,
  shareNote,
  unshareNote,
  updateNote,
} from '../../core/notes/index.ts';
import { requireUser } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import { publicBase } from '../../http/public-url.ts';
import { validate } from '../../http/validate.ts';

const title = z.string().trim().min(1, 'must not be empty').max(300);
const content = z.string().max(200_000);
const createBody = z.strictObject({ title, content: content.optional() });
const patchBody = z
  .strictObject({ title: title.optional(), content: content.optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');

/** Absolute base for share links: PUBLIC_URL when set, else the origin the request came to. */
/** Notes per KB (`/kbs/:kbId/notes`, `/notes/:id`) and their share links; mounted under `/api`. */
export function noteRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .use('/kbs/:kbId/notes', requireUser)
    .use('/notes/*', requireUser)
    .get('/kbs/:kbId/notes', (c) => c.json({ items: listNotes(deps.db, c.get('principal'), c.req.param('kbId')) }))
    .post('/kbs/:kbId/notes', validate('json', createBody), (c) =>
      c.json({ note: createNote(deps.db, c.get('principal'), c.req.param('kbId'), c.req.valid('json')) }, 201),
    )
    .get('/notes/:id', (c) => c.json({ note: getNote(deps.db, c.get('principal'), c.req.param('id')) }))
    .patch('/notes/:id', validate('json', patchBody), (c) =>
      c.json({ note: updateNote(deps.db, c.get('principal'), c.req.param('id'), c.req.valid('json')) }),
    )
    .delete('/notes/:id', (c) => {
      deleteNote(deps.db, c.get('principal'), c.req.param('id'));
      return c.body(null, 204);
    })
    .post('/notes/:id/share', (c) => {
      const token = shareNote(deps.db, c.get('principal'), c.req.param('id'));
      const base = publicBase(c, deps.config);
      return c.json({ shareUrl: `${base}/shared/notes/${token}` });
    })
    .delete('/notes/:id/share', (c) => {
      unshareNote(deps.db, c.get('principal'), c.req.param('id'));
      return c.body(null, 204);
    });
}
