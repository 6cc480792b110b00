import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIngestWorker } from '../../services/core/ingest/worker.ts';
import { startIngestWorker } from '../../services/core/ingest/worker.ts';
import { search } from '../../services/core/search/index.ts';
import { type FetchPolicy, fetchPage } from '../../services/core/url-import/fetch.ts';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { waitForDocument } from './helpers.ts';

const article = (version: string) => `<!DOCTYPE html><html><head><title>差旅报销指南 - 内网</title></head><body>
<nav><a href="/">首页</a> <a href="/hr">人事</a> <a href="/it">IT 服务台</a></nav>
<header>公司内网 · 行政服务</header>
<main><article><h1>差旅报销指南</h1>
<p>差旅费用须在出差结束后十五个工作日内提交报销，逾期不予受理。报销时请附上发票原件和行程单，电子发票须打印并由部门负责人签字。</p>
<h2>住宿标准</h2>
<p>一线城市每晚不超过${version}元，其他城市每晚不超过四百元。超出标准的部分由个人承担，确因会议安排超标的，须事先取得分管副总经理的书面批准。</p>
<p>Travel claims are filed in the expense system within fifteen working days; the finance team pays approved claims every Thursday.</p>
</article></main>
<aside>热门链接：食堂菜单、班车时刻表</aside>
<footer>版权所有 © 行政管理部</footer></body></html>`;

/** A local site: an article (its text changes with `version`), redirects, a large page, errors. */
function startSite() {
  const state = { version: '六百', hits: 0, metadataHits: 0 };
  const server = createServer((req, res) => {
    state.hits++;
    const path = req.url ?? '/';
    if (path === '/guide') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      res.end(gzipSync(article(state.version)));
    } else if (path === '/moved') {
      res.writeHead(302, { location: '/guide' }).end();
    } else if (path === '/to-metadata') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    } else if (path === '/loop') {
      res.writeHead(301, { location: '/loop' }).end();
    } else if (path === '/host') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`host=${req.headers.host}`);
    } else if (path === '/huge') {
      // 3 MB that travel as a few kB: the limit applies to what it unpacks to.
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end(gzipSync(Buffer.alloc(3 * 1024 * 1024, 'a')));
    } else if (path === '/busy') {
      res.writeHead(503).end();
    } else {
      res.writeHead(404).end('not found');
    }
  });
  return { server, state };
}

let site: ReturnType<typeof startSite>;
let base: string;
let port: number;
beforeAll(async () => {
  site = startSite();
  site.server.listen(0, '127.0.0.1');
  await once(site.server, 'listening');
  port = (site.server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((done) => (site.server as Server).close(() => done())));

const policy = (over: Partial<FetchPolicy> = {}): FetchPolicy => ({
  allowPrivate: false,
  maxBytes: 1024 * 1024,
  timeoutMs: 5000,
  maxRedirects: 3,
  ...over,
});

describe('fetching a page for import', () => {
  it('refuses a host that resolves to 127.0.0.1, IPv4-mapped or among public addresses, before connecting', async () => {
    const before = site.state.hits;
    for (const answer of [['127.0.0.1'], ['::ffff:127.0.0.1'], ['93.184.215.14', '10.0.0.7'], ['::1']]) {
      const resolve = async () => answer;
      await expect(
        fetchPage(`http://intranet.example:${port}/guide`, policy({ resolve })),
        String(answer),
      ).rejects.toThrow(/resolves to a (loopback|private) address; importing from it is refused/);
    }
    await expect(fetchPage(`${base}/guide`, policy())).rejects.toThrow(/loopback address/);
    await expect(fetchPage(`http://[::ffff:7f00:1]:${port}/guide`, policy())).rejects.toThrow(/loopback/);
    expect(site.state.hits).toBe(before);
  });

  it('refuses other schemes and addresses with credentials', async () => {
    for (const url of [
      'file:///etc/passwd',
      'ftp://example.com/a',
      'gopher://x',
      `http://user:pw@127.0.0.1:${port}/`,
    ]) {
      await expect(fetchPage(url, policy({ allowPrivate: true })), url).rejects.toMatchObject({
        name: 'UrlRefusedError',
      });
    }
  });

  it('connects to the address it checked, sending the name as Host, without a second lookup', async () => {
    const page = await fetchPage(`http://docs.intranet.test:${port}/host`, {
      ...policy({ allowPrivate: true }),
      resolve: async () => ['127.0.0.1'],
    });
    expect(page.bytes.toString()).toBe(`host=docs.intranet.test:${port}`);
  });

  it('follows redirects a few times, checking each hop, and never reaches the metadata address', async () => {
    const moved = await fetchPage(`${base}/moved`, policy({ allowPrivate: true }));
    expect(moved).toMatchObject({ url: `${base}/guide`, contentType: 'text/html' });
    expect(moved.bytes.toString()).toContain('差旅报销指南');
    await expect(fetchPage(`${base}/to-metadata`, policy({ allowPrivate: true }))).rejects.toThrow(
      /169\.254\.169\.254 resolves to a cloud metadata address/,
    );
    await expect(fetchPage(`${base}/loop`, policy({ allowPrivate: true }))).rejects.toThrow(/redirected more than 3/);
  });

  it('limits the unpacked size, and tells a missing page from a busy server', async () => {
    await expect(fetchPage(`${base}/huge`, policy({ allowPrivate: true }))).rejects.toThrow(/larger than 1 MB/);
    await expect(fetchPage(`${base}/nothing`, policy({ allowPrivate: true }))).rejects.toMatchObject({
      name: 'UrlRefusedError',
      message: 'The page answered 404',
    });
    const busy = await fetchPage(`${base}/busy`, policy({ allowPrivate: true })).catch((e: Error) => e);
    expect(busy).toBeInstanceOf(Error);
    expect((busy as Error).name).toBe('Error');
  });
});

describe('POST /api/kbs/:kbId/documents/url', () => {
  let deps: TestDeps;
  let worker: RunningIngestWorker;
  let api: ReturnType<typeof client>;
  let token: string;
  let userId: string;
  let kbId: string;
  beforeAll(async () => {
    deps = await createTestDeps({ URL_IMPORT_ALLOW_PRIVATE: 'true' });
    worker = await startIngestWorker(deps);
    api = client(createApp(deps));
    ({ token, userId } = await api.register('web@example.com'));
    kbId = (await api.call('POST', '/api/kbs', { token, body: { title: 'Intranet' } })).json.kb.id;
  });
  afterAll(async () => {
    worker.stop();
    await deps.cleanup();
  });

  const importUrl = (url: string) => api.call('POST', `/api/kbs/${kbId}/documents/url`, { token, body: { url } });

  it('imports the main content of a page, keeps its URL, and fetches it again on reprocess', async () => {
    const r = await importUrl(`${base}/moved`);
    expect(r.status, r.text).toBe(202);
    expect(r.json.document).toMatchObject({
      status: 'queued',
      sourceUrl: `${base}/moved`,
      fileName: '127.0.0.1_moved',
    });
    const doc = await waitForDocument(api, token, r.json.document.id);
    expect(doc).toMatchObject({ status: 'completed', title: '差旅报销指南 - 内网', mimeType: 'text/html' });
    expect(doc.size).toBeGreaterThan(500);
    const children = await api.call('GET', `/api/documents/${doc.id}/chunks?layer=child`, { token });
    const text = (children.json.items as Array<{ content: string }>).map((c) => c.content).join('\n');
    expect(text).toContain('一线城市每晚不超过六百元');
    expect(text).toContain('the finance team pays approved claims every Thursday');
    for (const chrome of ['IT 服务台', '公司内网 · 行政服务', '食堂菜单', '版权所有'])
      expect(text).not.toContain(chrome);
    const hit = await search(deps, { userId }, { kbId, query: '一线城市住宿标准每晚多少钱', hybrid: true });
    expect(hit.hits[0]?.document.id).toBe(doc.id);

    site.state.version = '七百';
    const again = await api.call('POST', `/api/documents/${doc.id}/reprocess`, { token });
    expect(again.status).toBe(202);
    await waitForDocument(api, token, doc.id);
    const updated = await api.call('GET', `/api/documents/${doc.id}/chunks?layer=child`, { token });
    const newText = (updated.json.items as Array<{ content: string }>).map((c) => c.content).join('\n');
    expect(newText).toContain('一线城市每晚不超过七百元');
    expect(newText).not.toContain('六百元');
  });

  it('fails a page that redirects to the metadata address with a readable error, even with the override', async () => {
    const r = await importUrl(`${base}/to-metadata`);
    expect(r.status).toBe(202);
    const doc = await waitForDocument(api, token, r.json.document.id);
    expect(doc).toMatchObject({ status: 'failed' });
    expect(doc.error).toMatch(/169\.254\.169\.254 resolves to a cloud metadata address; importing from it is refused/);
  });

  it('refuses bad addresses with 400 and keeps nothing', async () => {
    const before = (await api.call('GET', `/api/kbs/${kbId}/documents`, { token })).json.items.length;
    for (const url of [
      'not a url',
      'file:///etc/passwd',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
    ]) {
      const r = await importUrl(url);
      expect([url, r.status, r.json.error.code]).toEqual([url, 400, 'url_refused']);
    }
    const missing = await api.call('POST', `/api/kbs/${kbId}/documents/url`, { token, body: {} });
    expect(missing.status).toBe(400);
    expect((await api.call('GET', `/api/kbs/${kbId}/documents`, { token })).json.items).toHaveLength(before);
  });

  it('refuses loopback and private addresses without URL_IMPORT_ALLOW_PRIVATE', async () => {
    const strict = await createTestDeps();
    try {
      const strictApi = client(createApp(strict));
      const me = await strictApi.register('strict@example.com');
      const kb = (await strictApi.call('POST', '/api/kbs', { token: me.token, body: { title: 'K' } })).json.kb.id;
      for (const url of [`${base}/guide`, `http://localhost:${port}/guide`, 'http://10.0.0.8/', 'http://[::1]/']) {
        const r = await strictApi.call('POST', `/api/kbs/${kb}/documents/url`, { token: me.token, body: { url } });
        expect([url, r.status, r.json.error.code]).toEqual([url, 400, 'url_refused']);
        expect(r.json.error.message).toMatch(/URL_IMPORT_ALLOW_PRIVATE=true/);
      }
    } finally {
      await strict.cleanup();
    }
  });
});
