import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { http, register } from './client.ts';
import { ownDatabase, Stack } from './harness.ts';

/**
 * The gateway, search service and admin console as separate processes over one DATA_DIR and
 * one Redis, wired as in docker-compose.single.yml.
 */
describe('services as separate processes', () => {
  let stack: Stack;

  beforeAll(async () => {
    const redisUrl = inject('redisUrl');
    if (!redisUrl) throw new Error('these tests need Redis: set REDIS_URL or install redis-server');
    stack = new Stack(ownDatabase(redisUrl, 11));
    // The compose start order: search opens the database first, then the gateway, then the console.
    await stack.start('search');
    await stack.start('gateway');
    await stack.start('admin');
  });

  afterAll(async () => {
    if (stack) {
      const rss = [...stack.services.values()].map((s) => `${s.name} ${s.rssMiB().toFixed(0)} MiB`);
      console.info(`[multiprocess] resident memory after the tests: ${rss.join(', ')}`);
    }
    await stack?.close();
  });

  it('answers /healthz on each service port, each naming itself', async () => {
    for (const name of ['gateway', 'search', 'admin'] as const) {
      const r = await http(stack.url(name))('GET', '/healthz');
      expect(r.status, name).toBe(200);
      expect(r.json.service, name).toBe(name);
    }
  });

  it('serves the admin console on its own port', async () => {
    const res = await fetch(`${stack.url('admin')}/login`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<form/i);
  });

  it('searches through the gateway via the search service, and answers 503 while that is down', async () => {
    const token = await register(stack.url('gateway'), 'search-proc@example.com');
    const api = http(stack.url('gateway'), token);
    const kb = await api('POST', '/api/kbs', { title: 'Process KB' });
    expect(kb.status).toBe(201);
    const query = { kbId: kb.json.kb.id, query: 'anything at all' };

    const up = await api('POST', '/api/search', query);
    expect(up.status, up.text).toBe(200);
    expect(up.json.hits).toEqual([]);

    await stack.stop('search');
    const down = await api('POST', '/api/search', query);
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('search_unavailable');

    await stack.start('search');
    expect((await api('POST', '/api/search', query)).status).toBe(200);
  });

  it('keeps one user database across processes: an account made on the gateway signs in on the console', async () => {
    await register(stack.url('gateway'), 'shared-db@example.com');
    const form = new URLSearchParams({ email: 'shared-db@example.com', password: 'correct horse battery' });
    const res = await fetch(`${stack.url('admin')}/login`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { origin: stack.url('admin') },
    });
    expect([302, 303]).toContain(res.status);
    expect(res.headers.get('set-cookie')).toBeTruthy();
  });
});
