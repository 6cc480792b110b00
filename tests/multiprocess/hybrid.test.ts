import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, pingRedis } from '../../services/core/redis.ts';
import { eventually, http, register } from './client.ts';
import { Stack } from './harness.ts';
import { canRunTlsRedis, startTlsRedis, type TlsRedis } from './tls-redis.ts';

const ready = canRunTlsRedis();
if (!ready) console.warn('[multiprocess] no openssl or TLS redis-server: skipping the scheme B Redis test');

/** Scheme B's Redis: reached over TLS with a private CA and a password, as from the Tencent server. */
describe.skipIf(!ready)('services on a TLS Redis with a private CA', () => {
  let redis: TlsRedis;
  let stack: Stack;

  beforeAll(async () => {
    redis = await startTlsRedis('tls-redis-password');
    stack = new Stack(redis.url, { REDIS_TLS_CA_FILE: redis.caFile });
    stack.remoteSearch = false;
    await stack.start('gateway');
    await stack.start('ingest-worker');
  }, 150_000);

  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  }, 60_000);

  it('reports Redis ready and ingests an upload through the queue over TLS', async () => {
    const ready = await http(stack.url('gateway'))('GET', '/readyz');
    expect(ready.status, ready.text).toBe(200);
    expect(ready.json.checks.find((c: { name: string }) => c.name === 'redis')?.ok).toBe(true);

    const token = await register(stack.url('gateway'), 'tls@example.com');
    const api = http(stack.url('gateway'), token);
    const kbId = (await api('POST', '/api/kbs', { title: 'TLS' })).json.kb.id;
    const form = new FormData();
    form.set('file', new Blob(['Harbour tides are logged twice a day.'], { type: 'text/plain' }), 'tides.txt');
    const docId = (await api('POST', `/api/kbs/${kbId}/documents`, form)).json.document.id;
    const status = await eventually(
      async () => {
        const d = (await api('GET', `/api/documents/${docId}`)).json.document;
        return d.status === 'completed' || d.status === 'failed' ? d.status : undefined;
      },
      'the document to finish over TLS Redis',
      45_000,
    );
    expect(status).toBe('completed');
  }, 90_000);

  it('refuses the server certificate without the CA file, and a wrong password', async () => {
    for (const config of [
      { REDIS_URL: redis.url, REDIS_TLS_CA_FILE: undefined },
      { REDIS_URL: redis.url.replace('tls-redis-password', 'wrong'), REDIS_TLS_CA_FILE: redis.caFile },
    ]) {
      const client = createRedis(config);
      client.on('error', () => undefined);
      try {
        expect((await pingRedis(client, 1500)).ok).toBe(false);
      } finally {
        client.disconnect();
      }
    }
    const trusted = createRedis({ REDIS_URL: redis.url, REDIS_TLS_CA_FILE: redis.caFile });
    try {
      expect((await pingRedis(trusted, 3000)).ok).toBe(true);
    } finally {
      trusted.disconnect();
    }
  });
});
