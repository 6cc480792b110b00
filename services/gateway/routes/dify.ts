import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Deps } from '../../core/deps.ts';
import { difyRetrievalSchema, difyRetrieve } from '../../core/integrations/dify.ts';
import type { AppEnv } from '../../http/env.ts';
import { statusOf, toAppError } from '../../http/errors.ts';
import { validate } from '../../http/validate.ts';

/** Dify's error codes; other failures carry their HTTP status as the code. */
export const DIFY_BAD_HEADER = 1001;
export const DIFY_AUTH_FAILED = 1002;
export const DIFY_NO_KNOWLEDGE = 2001;

const difyError = (c: Context<AppEnv>, status: number, code: number, message: string) =>
  c.json({ error_code: code, error_msg: message }, status as ContentfulStatusCode);

/**
 * Dify's External Knowledge API (`POST /api/dify/retrieval`): register `<gateway>/api/dify`
 * as the endpoint and an API key as its key. Errors take Dify's shape `{error_code, error_msg}`.
 */
export function difyRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .onError((err, c) => {
      const e = toAppError(err, c);
      const status = statusOf(e);
      if (status === 404) return difyError(c, 404, DIFY_NO_KNOWLEDGE, 'The knowledge base does not exist');
      return difyError(c, status, status, e.message);
    })
    .post(
      '/retrieval',
      async function difyAuth(c, next) {
        const header = c.req.header('authorization') ?? '';
        if (!/^bearer\s+\S+$/i.test(header.trim())) {
          return difyError(
            c,
            403,
            DIFY_BAD_HEADER,
            "Invalid Authorization header format. Expected 'Bearer <api-key>'.",
          );
        }
        if (c.get('authMethod') !== 'api_key' && c.get('authMethod') !== 'jwt') {
          return difyError(c, 403, DIFY_AUTH_FAILED, 'Authorization failed: the API key is not valid.');
        }
        await next();
      },
      validate('json', difyRetrievalSchema),
      async (c) => c.json({ records: await difyRetrieve(deps, c.get('principal'), c.req.valid('json')) }),
    );
}
