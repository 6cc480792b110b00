import { readResponse, requestInit } from '../helpers/http.ts';

/** A small JSON client for a service reached over real HTTP. */
export function http(base: string, token?: string) {
  return async (method: string, path: string, body?: unknown) => {
    const init = requestInit(method, { body, token });
    return readResponse(await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(15_000) }));
  };
}

/** Registers an account on the gateway and returns its bearer token. */
export async function register(gateway: string, email: string, password = 'correct horse battery'): Promise<string> {
  const r = await http(gateway)('POST', '/api/auth/register', { email, password });
  if (r.status !== 201) throw new Error(`register failed: ${r.status} ${r.text}`);
  return r.json.token as string;
}

/** Polls until `check` returns a value, or fails with the last value seen. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}
