import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { type MockChatMessage, mockAnswer, textOf, toDeltas } from './chat.ts';
import { rankByOverlap } from './rerank.ts';
import type { MockState } from './state.ts';
import { hashedVector } from './vectors.ts';

const CREATED = 1_700_000_000;

interface ChatBody {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  stream?: boolean;
}

const badRequest = (message: string) => ({ error: { message, type: 'invalid_request_error', code: 'bad_request' } });

interface RerankBody {
  model?: string;
  query?: unknown;
  documents?: unknown;
  top_n?: unknown;
}

/** The OpenAI-compatible part of the mock: models, embeddings, chat completions, rerank. */
export function v1Routes(state: MockState) {
  const app = new Hono();

  app.get('/models', (c) =>
    c.json({
      object: 'list',
      data: state.models.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'mock-oneapi' })),
    }),
  );

  app.post('/embeddings', async (c) => {
    const body = (await c.req.json()) as { model?: string; input?: unknown };
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(input) || !input.every((t) => typeof t === 'string')) {
      return c.json(badRequest('input must be a string or an array of strings'), 400);
    }
    return c.json({
      object: 'list',
      model: body.model ?? 'unknown',
      data: input.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: hashedVector(text, state.dimension),
      })),
      usage: { prompt_tokens: input.length, total_tokens: input.length },
    });
  });

  // Jina/Cohere shape, as ONEAPI forwards it.
  app.post('/rerank', async (c) => {
    if (!state.rerank) return c.json({ error: { message: 'Not Found', type: 'invalid_request_error' } }, 404);
    const body = (await c.req.json()) as RerankBody;
    const { query, documents } = body;
    if (typeof query !== 'string' || !Array.isArray(documents) || !documents.every((d) => typeof d === 'string')) {
      return c.json(badRequest('query must be a string and documents an array of strings'), 400);
    }
    if (!body.model || !state.rerankModels.includes(body.model)) {
      const message = `Unknown rerank model ${body.model ?? ''}`;
      return c.json({ error: { message, type: 'invalid_request_error', code: 'model_not_found' } }, 400);
    }
    const topN = typeof body.top_n === 'number' && body.top_n > 0 ? body.top_n : documents.length;
    return c.json({
      id: `rerank-${state.requests.length}`,
      model: body.model,
      results: rankByOverlap(query, documents, topN),
      usage: { total_tokens: documents.length },
    });
  });

  app.post('/chat/completions', async (c) => {
    const body = (await c.req.json()) as ChatBody;
    if (!body.model || !Array.isArray(body.messages)) return c.json(badRequest('model and messages are required'), 400);
    if (!state.models.includes(body.model)) return c.json(badRequest(`Unknown model ${body.model}`), 404);
    const messages: MockChatMessage[] = body.messages.map((m) => ({
      role: m.role ?? 'user',
      content: textOf(m.content),
    }));
    const answer = state.replies.shift() ?? mockAnswer(body.model, messages);
    const id = `chatcmpl-${state.requests.length}`;
    const model = body.model;
    if (!body.stream) {
      return c.json({
        id,
        object: 'chat.completion',
        created: CREATED,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    }
    return streamSSE(c, async (stream) => {
      const chunk = (delta: Record<string, string>, finish: string | null) =>
        JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created: CREATED,
          model,
          choices: [{ index: 0, delta, finish_reason: finish }],
        });
      await stream.writeSSE({ data: chunk({ role: 'assistant', content: '' }, null) });
      for (const [i, piece] of toDeltas(answer).entries()) {
        if (state.breakStreamAfter !== undefined && i >= state.breakStreamAfter) return;
        await stream.writeSSE({ data: chunk({ content: piece }, null) });
        await stream.sleep(state.chunkDelayMs);
      }
      await stream.writeSSE({ data: chunk({}, 'stop') });
      await stream.writeSSE({ data: '[DONE]' });
    });
  });

  return app;
}
