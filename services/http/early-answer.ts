import type { Http2Bindings, HttpBindings } from '@hono/node-server';

type FetchHandler = (req: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>;

function withHeader(res: Response, name: string, value: string): Response {
  try {
    res.headers.set(name, value);
    return res;
  } catch {
    // Headers of some responses are immutable: answer with a copy.
    const copy = new Response(res.body, res);
    copy.headers.set(name, value);
    return copy;
  }
}

/**
 * An answer given before the request body has fully arrived (a 413 by Content-Length, a 401
 * ahead of the body, a malformed body refused at once) says `Connection: close`. The server
 * stops reading what is left and drops the connection; without the header a keep-alive client
 * would send its next request on that dead connection and fail ("other side closed"). With
 * it, the client opens a fresh connection and the next request succeeds.
 */
export function closeAfterEarlyAnswer(fetch: FetchHandler): FetchHandler {
  return async function earlyAnswer(req, env) {
    const res = await fetch(req, env);
    const incoming = env?.incoming;
    return incoming && !incoming.complete ? withHeader(res, 'Connection', 'close') : res;
  };
}
