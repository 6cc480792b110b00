import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { Principal } from '../../core/access/index.ts';
import { prepareAnswer } from '../../core/chat/answer.ts';
import type { Citation } from '../../core/chat/types.ts';
import type { Deps } from '../../core/deps.ts';
import { AppError } from '../../core/errors.ts';
import { listKbs } from '../../core/kbs/index.ts';
import type { ChatMessage } from '../../core/llm/index.ts';
import { identify } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import { toAppError } from '../../http/errors.ts';
import { validate } from '../../http/validate.ts';
import { chunk, completion, openAiError, openAiErrorHandler } from './openai-format.ts';

const part = z.looseObject({ type: z.string(), text: z.string().optional() });
const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(part), z.null()]).optional(),
});
const body = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
});

type Message = z.infer<typeof message>;
const textOf = (m: Message) =>
  typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text ?? '').join('');

/** The answer to one request: who answers, the prompt, and the text as a stream or in one call. */
interface Answer {
  prompt: ChatMessage[];
  citations?: Citation[];
  stream(signal: AbortSignal): AsyncIterable<string>;
  complete(signal: AbortSignal): Promise<string>;
}

async function answerFor(deps: Deps, who: Principal, req: z.infer<typeof body>): Promise<Answer> {
  const msgs = req.messages.filter((m) => m.role !== 'tool');
  if (req.model.startsWith('kb:')) {
    const lastUser = msgs.findLastIndex((m) => m.role === 'user');
    const question = lastUser >= 0 ? textOf(msgs[lastUser] as Message).trim() : '';
    if (!question) throw new AppError('bad_request', 'messages must end with a user question');
    const prepared = await prepareAnswer(deps, who, {
      kbId: req.model.slice(3),
      question,
      history: msgs
        .slice(0, lastUser)
        .filter((m) => m.role === 'user' || m.role === 'assistant')
        .map((m) => ({ role: m.role as 'user' | 'assistant', content: textOf(m) })),
      instructions:
        msgs
          .filter((m) => m.role === 'system' || m.role === 'developer')
          .map(textOf)
          .join('\n') || undefined,
    });
    return { ...prepared, prompt: prepared.messages };
  }
  const chat = deps.chat;
  if (!chat || !(await chat.listModels()).includes(req.model)) {
    throw new AppError('not_found', `The model '${req.model}' does not exist`);
  }
  const prompt: ChatMessage[] = msgs.map((m) => ({
    role: m.role === 'developer' ? 'system' : (m.role as ChatMessage['role']),
    content: textOf(m),
  }));
  const opts = { model: req.model, temperature: req.temperature, maxTokens: req.max_tokens };
  return {
    prompt,
    stream: (signal) => chat.stream(prompt, { ...opts, signal }),
    complete: (signal) => chat.complete(prompt, { ...opts, signal }),
  };
}

/** `/v1`: OpenAI-compatible models and chat completions; `kb:<kbId>` answers from a knowledge base. */
export function openAiRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.onError(openAiErrorHandler);
  app.use(bodyLimit({ maxSize: 1024 * 1024, onError: (c) => openAiError(c, 413, 'payload_too_large', 'Too large') }));
  app.use(identify(deps), async (c, next) => {
    // Bearer only: a browser cookie must not be enough to spend a user's tokens cross-site.
    if (!c.get('user') || c.get('authMethod') === 'cookie') {
      return openAiError(c, 401, 'unauthenticated', 'Send an API key as Authorization: Bearer <key>');
    }
    await next();
  });

  app.get('/models', async (c) => {
    const kbs = listKbs(deps.db, c.get('principal')).map((kb) => ({
      id: `kb:${kb.id}`,
      object: 'model',
      created: Math.floor(kb.createdAt / 1000),
      owned_by: 'context-os',
      name: kb.title,
    }));
    const upstream = deps.chat ? await deps.chat.listModels().catch(() => []) : [];
    const models = upstream.map((id) => ({ id, object: 'model', created: 0, owned_by: 'oneapi' }));
    return c.json({ object: 'list', data: [...kbs, ...models] });
  });

  app.post('/chat/completions', validate('json', body), async (c) => {
    const req = c.req.valid('json');
    const answer = await answerFor(deps, c.get('principal'), req);
    const id = `chatcmpl-${randomUUID()}`;
    const promptText = answer.prompt.map((m) => m.content).join('\n');
    if (!req.stream) {
      const text = await answer.complete(c.req.raw.signal);
      return c.json(completion(id, req.model, promptText, text, answer.citations));
    }
    const abort = new AbortController();
    const iterator = answer.stream(abort.signal)[Symbol.asyncIterator]();
    const first = await iterator.next();
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => abort.abort());
      await stream.writeSSE({ data: chunk(id, req.model, { role: 'assistant', content: '' }, null) });
      try {
        for (let r = first; !r.done; r = await iterator.next()) {
          await stream.writeSSE({ data: chunk(id, req.model, { content: r.value }, null) });
        }
        await stream.writeSSE({ data: chunk(id, req.model, {}, 'stop', answer.citations) });
      } catch (err) {
        const e = toAppError(err, c);
        await stream.writeSSE({
          data: JSON.stringify({ error: { message: e.message, type: 'api_error', code: e.code } }),
        });
      }
      await stream.writeSSE({ data: '[DONE]' });
    });
  });

  app.all('*', (c) => openAiError(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`));
  return app;
}
