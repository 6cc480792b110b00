import type { Hono } from 'hono';

// biome-ignore lint/suspicious/noExplicitAny: any Hono app
type AnyApp = Hono<any, any, any>;

export interface CallOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/** A request with a bearer token when given; a body other than FormData is sent as JSON. */
export function requestInit(method: string, opts: CallOptions = {}): RequestInit {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  return { method, headers, body };
}

/** Reads a response's body as text, and as JSON when it parses. */
export async function readResponse(res: Response) {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  return { status: res.status, headers: res.headers, text, json: json as any };
}

/** A small client over `app.request()` that keeps a bearer token and JSON bodies tidy. */
export function client(app: AnyApp, base = 'http://localhost') {
  const call = async (method: string, path: string, opts: CallOptions = {}) =>
    readResponse(await app.request(`${base}${path}`, requestInit(method, opts)));
  return {
    call,
    /** Registers a user and returns its token and id. */
    async register(email: string, password = 'correct horse battery') {
      const r = await call('POST', '/api/auth/register', { body: { email, password } });
      if (r.status !== 201) throw new Error(`register failed: ${r.status} ${r.text}`);
      return { token: r.json.token as string, userId: r.json.user.id as string };
    },
  };
}
