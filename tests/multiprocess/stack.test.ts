import { readdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findNginx, nginxPrefix, startNginx } from '../compose/nginx-run.ts';
import { freePort } from '../helpers/net.ts';
import { eventually, http, register } from './client.ts';
import { ownDatabase, runScript, Stack } from './harness.ts';

const TEXT = [
  '# Lighthouse maintenance',
  '',
  'The lighthouse keeper replaces the lamp filament every spring and logs the fog signal tests.',
  '',
  '## Fog signal',
  '',
  'The fog signal is tested weekly; a failed test is reported to the harbour master.',
].join('\n');
const PASSWORD = 'correct horse battery';
const nginxBin = findNginx();
if (!nginxBin) console.warn('[multiprocess] no nginx binary: skipping the stack behind nginx');

/**
 * The four services as separate processes over one DATA_DIR and one Redis, wired as in
 * docker-compose.single.yml; then a backup taken while they run, restored into an empty
 * directory and served again.
 */
describe('services as separate processes', () => {
  let stack: Stack;
  let restored: Stack | undefined;
  let token = '';
  let kbId = '';
  let docId = '';

  beforeAll(async () => {
    const redisUrl = inject('redisUrl');
    if (!redisUrl) throw new Error('these tests need Redis: set REDIS_URL or install redis-server');
    stack = new Stack(ownDatabase(redisUrl, 11));
    // The compose start order: search opens the database first, then the gateway, then the console.
    await stack.start('search');
    await stack.start('gateway');
    await stack.start('admin');
    token = await register(stack.url('gateway'), 'keeper@example.com', PASSWORD);
    kbId = (await http(stack.url('gateway'), token)('POST', '/api/kbs', { title: 'Lighthouse' })).json.kb.id;
  }, 150_000);

  afterAll(async () => {
    if (stack) {
      const rss = [...stack.services.values()].map((s) => `${s.name} ${s.rssMiB().toFixed(0)} MiB`);
      console.info(`[multiprocess] resident memory at the end: ${rss.join(', ')}`);
    }
    await restored?.close();
    await stack?.close();
  }, 60_000);

  const search = (base: string, bearer: string) =>
    http(base, bearer)('POST', '/api/search', { kbId, query: 'fog signal test', mode: 'flat' });
  const hitIds = (r: { json: { hits: Array<{ document: { id: string } }> } }) => r.json.hits.map((h) => h.document.id);

  it('answers /healthz on each service port, each naming itself', async () => {
    for (const name of ['gateway', 'search', 'admin'] as const) {
      const r = await http(stack.url(name))('GET', '/healthz');
      expect(r.status, name).toBe(200);
      expect(r.json.service, name).toBe(name);
    }
  });

  it('serves the console on its own port, over the same user database as the gateway', async () => {
    const page = await fetch(`${stack.url('admin')}/login`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const res = await fetch(`${stack.url('admin')}/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'keeper@example.com', password: PASSWORD }),
      redirect: 'manual',
      headers: { origin: stack.url('admin') },
    });
    expect([302, 303]).toContain(res.status);
    expect(res.headers.get('set-cookie')).toBeTruthy();
  });

  it('keeps an upload queued while no worker runs and completes it once one starts', async () => {
    const api = http(stack.url('gateway'), token);
    const form = new FormData();
    form.set('file', new Blob([TEXT], { type: 'text/markdown' }), 'lighthouse.md');
    const upload = await api('POST', `/api/kbs/${kbId}/documents`, form);
    expect(upload.status, upload.text).toBe(202);
    docId = upload.json.document.id;

    await new Promise((r) => setTimeout(r, 1500));
    expect((await api('GET', `/api/documents/${docId}`)).json.document.status).toBe('queued');

    await stack.start('ingest-worker');
    const done = await eventually(
      async () => {
        const d = (await api('GET', `/api/documents/${docId}`)).json.document;
        return d.status === 'completed' || d.status === 'failed' ? d : undefined;
      },
      'the document to finish ingesting',
      45_000,
    );
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.childCount).toBeGreaterThan(0);
  }, 90_000);

  it('searches through the gateway via the search service, and answers 503 while that is down', async () => {
    expect(docId, 'needs the document ingested by the test before').not.toBe('');
    const up = await search(stack.url('gateway'), token);
    expect(up.status, up.text).toBe(200);
    expect(hitIds(up)).toContain(docId);

    await stack.stop('search');
    const down = await search(stack.url('gateway'), token);
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('search_unavailable');

    await stack.start('search');
    expect((await search(stack.url('gateway'), token)).status).toBe(200);
  }, 90_000);

  it('backs up while running and restores users and searchable documents elsewhere', async () => {
    expect(docId, 'needs the ingested document').not.toBe('');
    const backup = runScript('backup.ts', [], stack.env);
    expect(backup.status, backup.stderr).toBe(0);
    const archive = backup.stdout.trim();
    expect(archive).toMatch(/context-os-backup-.*\.tar\.gz$/);

    // A fresh empty DATA_DIR and FILES_DIR; the gateway searches in-process there.
    const fresh = new Stack(ownDatabase(inject('redisUrl'), 12), { JWT_SECRET: stack.env.JWT_SECRET ?? '' });
    restored = fresh;
    const restore = runScript('restore.ts', [archive], fresh.env);
    expect(restore.status, restore.stderr).toBe(0);
    const files = readdirSync(fresh.env.FILES_DIR ?? '', { recursive: true, withFileTypes: true });
    expect(files.filter((f) => f.isFile())).toHaveLength(1);

    fresh.remoteSearch = false;
    await fresh.start('gateway');
    const login = await http(fresh.url('gateway'))('POST', '/api/auth/login', {
      email: 'keeper@example.com',
      password: PASSWORD,
    });
    expect(login.status, login.text).toBe(200);
    const found = await search(fresh.url('gateway'), login.json.token);
    expect(found.status, found.text).toBe(200);
    expect(hitIds(found)).toContain(docId);
  }, 90_000);

  it.skipIf(!nginxBin)(
    'serves the stack behind nginx: routes, streamed chat, upload limit, sign-in rate limit',
    async () => {
      const port = await freePort();
      const gateway = stack.url('gateway').replace('http://', '');
      const admin = stack.url('admin').replace('http://', '');
      const prefix = nginxPrefix('http', { gateway, admin, listen: port });
      const proxy = await startNginx(nginxBin ?? 'nginx', prefix, port);
      try {
        const health = await http(proxy.url)('GET', '/healthz');
        expect(health.json.service).toBe('gateway');
        const page = await fetch(`${proxy.url}/login`);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        expect(page.headers.get('x-content-type-options')).toBe('nosniff');
        expect((await fetch(`${proxy.url}/metrics`)).status).toBe(404);

        const api = http(proxy.url, token);
        const session = await api('POST', '/api/chat/sessions', { kbId });
        expect(session.status, session.text).toBe(201);
        const res = await fetch(`${proxy.url}/api/chat/sessions/${session.json.session.id}/messages`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'text/event-stream',
          },
          body: JSON.stringify({ content: 'How often is the fog signal tested?' }),
        });
        expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
        const events = await res.text();
        expect(events).toMatch(/event: token/);
        expect(events).toMatch(/event: done/);

        const upload = (mb: number) =>
          fetch(`${proxy.url}/api/kbs/${kbId}/documents`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
            body: new Uint8Array(mb * 1024 * 1024),
          });
        // Under the limit nginx passes the body on and the gateway judges it (not multipart: a JSON 4xx).
        const passed = await upload(2);
        expect(passed.status).not.toBe(413);
        expect(passed.headers.get('content-type')).toMatch(/application\/json/);
        const tooBig = await upload(52);
        expect(tooBig.status).toBe(413);

        // Distinct emails stay under the gateway's own per-account limit: the 429 must be nginx's.
        const attempts: Array<{ status: number; type: string }> = [];
        for (let i = 0; i < 14; i++) {
          const res = await fetch(`${proxy.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: `guess${i}@example.com`, password: 'wrong one' }),
          });
          await res.arrayBuffer();
          attempts.push({ status: res.status, type: res.headers.get('content-type') ?? '' });
        }
        expect(attempts[0]?.status).toBe(401);
        const limited = attempts.filter((a) => a.status === 429);
        expect(limited.length).toBeGreaterThan(0);
        expect(limited[0]?.type).toMatch(/text\/html/);
      } finally {
        await proxy.stop();
        rmSync(prefix.dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
