import { Agent, FormData, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../services/http/serve.ts';
import { createRootApp } from '../../services/root.ts';
import { consolePosts, gatewayRoutes } from './routes.ts';
import { createWorld, type World } from './world.ts';

/** A body a client should never send, with the content type it claims. */
interface Hostile {
  name: string;
  type?: string;
  body: () => string | Uint8Array | FormData;
  /** Several megabytes: sent anonymously and with a Bearer token only, to keep the sweep short. */
  large?: boolean;
}

const MB = 1024 * 1024;
const bigFile = () => {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(3 * MB)], 'big.txt'));
  return form;
};

const HOSTILE: Hostile[] = [
  { name: 'truncated JSON', type: 'application/json', body: () => '{"title": ' },
  { name: 'a JSON array', type: 'application/json', body: () => '[1,2,3]' },
  {
    name: 'JSON nested 50 000 deep',
    type: 'application/json',
    body: () => `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  },
  { name: 'bytes that are not UTF-8', type: 'application/json', body: () => new Uint8Array([0x7b, 0xff, 0xfe, 0x22]) },
  { name: 'an empty JSON body', type: 'application/json', body: () => '' },
  { name: 'multipart without a boundary', type: 'multipart/form-data', body: () => 'not multipart' },
  {
    name: 'truncated multipart',
    type: 'multipart/form-data; boundary=xyz',
    body: () => '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc',
  },
  { name: 'broken form encoding', type: 'application/x-www-form-urlencoded', body: () => '%%%&&==%zz' },
  { name: 'plain text', type: 'text/plain', body: () => 'hello' },
  { name: 'no content type', body: () => 'title=untyped' },
  { name: 'JSON of 3 MB', type: 'application/json', body: () => `{"title":"${'x'.repeat(3 * MB)}"}`, large: true },
  { name: 'a 3 MB octet stream', type: 'application/octet-stream', body: () => new Uint8Array(3 * MB), large: true },
  { name: 'a 3 MB multipart upload', body: bigFile, large: true },
];

const HOSTILE_QUERIES = ['?layer=%ZZ&kbId=%E0%A4%A', `?kbId=${'k'.repeat(8000)}&limit=-1&before=%00`];

/**
 * Every route of the API and every console form, with hostile bodies and content types, with
 * and without credentials, over one keep-alive connection of Node's own HTTP client: a dropped
 * connection shows as a failed request, a crash as a 5xx.
 */
describe('hostile requests on every route', () => {
  let world: World;
  let server: RunningServer;
  let base: string;
  const agent = new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 30_000 });

  beforeAll(async () => {
    world = await createWorld();
    server = await startServer(createRootApp(world.deps), { port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await agent.close();
    await server?.stop(1000);
    await world?.close();
  });

  it('answers each with a 4xx (or a success) on a connection the next request can use', async () => {
    const { alice, bob } = world;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: alice.email, password: 'correct horse battery' }),
      dispatcher: agent,
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await login.arrayBuffer();
    const callers: Array<[string, Record<string, string>]> = [
      ['anonymous', {}],
      ['bearer', { authorization: `Bearer ${alice.token}` }],
      ['cookie', { cookie, origin: base }],
    ];
    const dropped: string[] = [];
    const failed: string[] = [];
    let sent = 0;
    const send = async (
      label: string,
      method: string,
      path: string,
      headers: Record<string, string>,
      body?: Hostile,
    ) => {
      sent++;
      try {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { ...headers, ...(body?.type && { 'content-type': body.type }) },
          body: body?.body(),
          dispatcher: agent,
        });
        await res.arrayBuffer();
        if (res.status >= 500) failed.push(`${label}: ${method} ${path} -> ${res.status}`);
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? String(err);
        dropped.push(`${label}: ${method} ${path} -> ${cause}`);
      }
    };

    // The session-ending and backup-writing posts are swept without the session only.
    const sessionless = new Set(['/logout', '/admin/backups']);
    const targets = [
      ...gatewayRoutes(alice).map((r) => ({ method: r.method, path: r.path, console: false })),
      ...consolePosts(alice, bob).map((p) => ({ method: 'POST', path: p.path, console: true })),
    ];
    for (const target of targets) {
      for (const [who, headers] of callers) {
        if (who === 'cookie' && target.console && sessionless.has(target.path)) continue;
        if (who === 'bearer' && target.console) continue;
        if (target.method === 'GET') {
          for (const query of HOSTILE_QUERIES) {
            await send(`${who}, hostile query`, 'GET', `${target.path.split('?')[0]}${query}`, headers);
          }
          continue;
        }
        for (const hostile of HOSTILE) {
          if (hostile.large && who === 'cookie') continue;
          await send(`${who}, ${hostile.name}`, target.method, target.path, headers, hostile);
        }
      }
    }
    console.info(`[hostile] ${sent} requests, ${dropped.length} dropped connections, ${failed.length} 5xx`);
    expect(sent).toBeGreaterThan(1000);
    expect(dropped).toEqual([]);
    expect(failed).toEqual([]);
    const health = await fetch(`${base}/healthz`, { dispatcher: agent });
    expect(health.status).toBe(200);
  }, 240_000);
});
