import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';
import { jsonErrorHandler } from './errors.ts';

function app(thrower: () => unknown) {
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('requestId', 'req-1');
      await next();
    })
    .get('/', () => {
      throw thrower();
    })
    .onError(jsonErrorHandler);
}

async function answer(thrower: () => unknown) {
  const res = await app(thrower).request('/');
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describe('the JSON error path', () => {
  it('answers a ZodError thrown anywhere with 400 validation_failed naming the field', async () => {
    const res = await answer(() => {
      try {
        z.object({ query: z.string().max(3) }).parse({ query: 'too long' });
      } catch (err) {
        return err;
      }
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', requestId: 'req-1' });
    expect(res.body.error.message).toMatch(/^query: /);
    expect(res.body.error.details.issues[0].path).toBe('query');
  });

  it.each([
    ['not_found', 404],
    ['email_taken', 409],
    ['llm_error', 502],
    ['search_unavailable', 503],
    ['llm_timeout', 504],
  ] as const)('takes the status of %s from its code: %i', async (code, status) => {
    const res = await answer(() => new AppError(code, 'x'));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('sends Retry-After with a 429 and keeps its details out of the body', async () => {
    const res = await answer(() => new AppError('rate_limited', 'slow down', { retryAfter: 7 }));
    expect(res).toMatchObject({ status: 429, retryAfter: '7' });
    expect(res.body.error.details).toBeUndefined();
  });

  it("keeps the meaning of Hono's own exceptions and hides unknown errors behind a 500", async () => {
    expect((await answer(() => new HTTPException(413))).body.error.code).toBe('payload_too_large');
    expect(
      (await answer(() => new HTTPException(400, { message: 'Malformed JSON in request body' }))).body.error.code,
    ).toBe('invalid_json');
    const internal = await answer(() => new Error('secret detail'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toContain('secret detail');
  });
});
