import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { type Context, Hono } from 'hono';
import type { Deps } from '../../core/deps.ts';
import type { AppEnv } from '../../http/env.ts';
import { APP_VERSION } from '../../http/version.ts';
import { knowledgeServer } from '../mcp/tools.ts';

/** A JSON-RPC error without an id, as MCP's Streamable HTTP transport answers outside a request. */
const rpcError = (c: Context<AppEnv>, status: 401 | 405, message: string) =>
  c.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, status);

/**
 * MCP over Streamable HTTP at `/mcp`, stateless: every POST gets a server of its own, bound to
 * the caller of that request, so any gateway process can answer any request and a revoked key
 * stops at once. Only `Authorization: Bearer <API key or token>` is accepted, never the session
 * cookie, so a web page cannot call it on a signed-in user's behalf.
 */
export function mcpRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const method = c.get('authMethod');
      if (method !== 'api_key' && method !== 'jwt') {
        c.header('WWW-Authenticate', 'Bearer realm="context-os"');
        return rpcError(c, 401, c.get('authFailure') ?? 'Send an API key as Authorization: Bearer <key>');
      }
      const server = knowledgeServer(deps, c.get('principal'), c.get('logger'), APP_VERSION);
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await server.connect(transport);
      try {
        return await transport.handleRequest(c.req.raw);
      } finally {
        await server.close();
      }
    })
    .on(['GET', 'DELETE'], '/', (c) => {
      c.header('Allow', 'POST');
      return rpcError(c, 405, 'This server is stateless: send each request as a POST');
    });
}
