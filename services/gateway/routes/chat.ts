import { Hono } from 'hono';
import { z } from 'zod';
import { ask, startTurn } from '../../core/chat/ask.ts';
import { assertKnownModel, EXTRACTIVE_MODEL } from '../../core/chat/models.ts';
import {
  createSession,
  deleteSession,
  getSession,
  listMessages,
  listSessions,
  updateSession,
} from '../../core/chat/sessions.ts';
import type { Deps } from '../../core/deps.ts';
import type { AppEnv } from '../../http/env.ts';
import { validate } from '../../http/validate.ts';
import { streamAnswer } from './chat-stream.ts';

const model = z.string().trim().min(1).max(200);
const createBody = z.strictObject({
  kbId: z.string().min(1),
  title: z.string().trim().max(200).optional(),
  model: model.optional(),
});
const patchBody = z
  .strictObject({ title: z.string().trim().min(1).max(200).optional(), model: model.nullable().optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');
const listQuery = z.object({ kbId: z.string().min(1).optional() });
const messageBody = z.strictObject({ content: z.string().trim().min(1, 'must not be empty').max(8000) });

export interface ChatRouteOptions {
  /** Interval of SSE keep-alive comments; 15 s by default. */
  keepAliveMs?: number;
}

/** The models to choose from, chat sessions per KB and their messages; answers stream as SSE on `Accept: text/event-stream`. */
export function chatRoutes(deps: Deps, opts: ChatRouteOptions = {}) {
  return new Hono<AppEnv>()
    .get('/models', async (c) =>
      c.json({
        items: deps.chat ? await deps.chat.listModels() : [],
        default: deps.chat ? deps.config.CHAT_MODEL : EXTRACTIVE_MODEL,
      }),
    )
    .post('/sessions', validate('json', createBody), async (c) => {
      const body = c.req.valid('json');
      if (body.model) await assertKnownModel(deps, body.model);
      return c.json({ session: createSession(deps.db, c.get('principal'), body) }, 201);
    })
    .get('/sessions', validate('query', listQuery), (c) =>
      c.json({ items: listSessions(deps.db, c.get('principal'), c.req.valid('query').kbId) }),
    )
    .get('/sessions/:id', (c) => c.json({ session: getSession(deps.db, c.get('principal'), c.req.param('id')) }))
    .patch('/sessions/:id', validate('json', patchBody), async (c) => {
      const body = c.req.valid('json');
      getSession(deps.db, c.get('principal'), c.req.param('id'));
      if (body.model) await assertKnownModel(deps, body.model);
      return c.json({ session: updateSession(deps.db, c.get('principal'), c.req.param('id'), body) });
    })
    .delete('/sessions/:id', (c) => {
      deleteSession(deps.db, c.get('principal'), c.req.param('id'));
      return c.body(null, 204);
    })
    .get('/sessions/:id/messages', (c) =>
      c.json({ items: listMessages(deps.db, c.get('principal'), c.req.param('id')) }),
    )
    .post('/sessions/:id/messages', validate('json', messageBody), async (c) => {
      const who = c.get('principal');
      const { content } = c.req.valid('json');
      if (c.req.header('accept')?.includes('text/event-stream')) {
        const turn = await startTurn(deps, who, c.req.param('id'), content);
        return streamAnswer(c, turn, { keepAliveMs: opts.keepAliveMs ?? 15_000 });
      }
      return c.json(await ask(deps, who, c.req.param('id'), content, c.req.raw.signal));
    });
}
