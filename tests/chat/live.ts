import { createApp } from '../../services/gateway/app.ts';
import { type RunningServer, startServer } from '../../services/http/serve.ts';
import type { TestDeps } from '../helpers/deps.ts';
import { type CallOptions, readResponse, requestInit } from '../helpers/http.ts';

/** A response as `readResponse` gives it, with the milliseconds the call took. */
export type LiveResponse = Awaited<ReturnType<typeof readResponse>> & { ms: number };

/** One server-sent event as a client sees it. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Parses an SSE body into events; comment lines (keep-alives) are counted separately. */
export function parseSse(text: string): { events: SseEvent[]; comments: number } {
  const events: SseEvent[] = [];
  let comments = 0;
  for (const block of text.split(/\n\n/)) {
    if (!block.trim()) continue;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments += 1;
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, comments };
}

/** The gateway over real HTTP on a free port, with a small JSON client. */
export async function startGateway(deps: TestDeps) {
  const server: RunningServer = await startServer(createApp(deps), { port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${server.port}`;
  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<LiveResponse> => {
    const started = performance.now();
    const res = await readResponse(await fetch(`${url}${path}`, requestInit(method, opts)));
    return { ...res, ms: performance.now() - started };
  };
  return {
    url,
    call,
    async register(email: string) {
      const r = await call('POST', '/api/auth/register', { body: { email, password: 'correct horse battery' } });
      if (r.status !== 201) throw new Error(`register failed: ${r.status} ${r.text}`);
      return { token: r.json.token as string, userId: r.json.user.id as string };
    },
    /** POSTs `body` as JSON asking for server-sent events; the caller reads the stream. */
    stream: (path: string, token: string, body: unknown) =>
      fetch(`${url}${path}`, requestInit('POST', { token, body, headers: { accept: 'text/event-stream' } })),
    stop: () => server.stop(200),
  };
}
