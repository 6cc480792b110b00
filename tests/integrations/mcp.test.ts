import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIngestWorker } from '../../services/core/ingest/worker.ts';
import { startIngestWorker } from '../../services/core/ingest/worker.ts';
import { createApp } from '../../services/gateway/app.ts';
import { type RunningServer, startServer } from '../../services/http/serve.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';

let deps: TestDeps;
let worker: RunningIngestWorker;
let server: RunningServer;
let api: ReturnType<typeof client>;
let base: URL;
let owner: { token: string; userId: string };
let handbookKb: string;
let secretKb: string;
let handbookId: string;
let fullKey: string;
let scopedKey: string;

const HANDBOOK = `# Redis handbook

## Persistence

Redis saves snapshots with RDB and logs every write with AOF.

Set appendfsync everysec to lose at most one second of writes.

## Eviction

When maxmemory is reached Redis evicts keys by the chosen policy.

The noeviction policy refuses writes instead of dropping keys.`;

const SECRET = '# Payroll\n\n## Salaries\n\nSalaries are paid on the 25th of each month.';

async function ingest(kbId: string, name: string, text: string, metadata: Record<string, unknown>) {
  const form = fileForm(name, text);
  form.append('metadata', JSON.stringify(metadata));
  const r = await api.call('POST', `/api/kbs/${kbId}/documents`, { token: owner.token, body: form });
  expect(r.status, r.text).toBe(202);
  return (await waitForDocument(api, owner.token, r.json.document.id)).id as string;
}

/** The official MCP client over real HTTP, authenticated with `key`. */
async function connect(key: string): Promise<Client> {
  const mcp = new Client({ name: 'context-os-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  await mcp.connect(transport);
  return mcp;
}

const text = (r: unknown) => (r as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : '')).join('');
// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON of several shapes
const body = (r: unknown): any => JSON.parse(text(r));

beforeAll(async () => {
  deps = await createTestDeps();
  worker = await startIngestWorker(deps);
  const app = createApp(deps);
  server = await startServer(app, { port: 0, host: '127.0.0.1' });
  base = new URL(`http://127.0.0.1:${server.port}`);
  api = client(app);
  owner = await api.register('mcp-owner@example.com');
  handbookKb = (await api.call('POST', '/api/kbs', { token: owner.token, body: { title: 'Redis' } })).json.kb.id;
  secretKb = (await api.call('POST', '/api/kbs', { token: owner.token, body: { title: 'Payroll' } })).json.kb.id;
  handbookId = await ingest(handbookKb, 'redis.md', HANDBOOK, { team: 'ops', year: 2025 });
  await ingest(handbookKb, 'redis-old.md', HANDBOOK.replace('everysec', 'always'), { team: 'ops', year: 2019 });
  await ingest(secretKb, 'payroll.md', SECRET, { team: 'finance' });
  const key = (body: Record<string, unknown>) =>
    api.call('POST', '/api/api-keys', { token: owner.token, body }).then((r) => r.json.key as string);
  fullKey = await key({ name: 'everything' });
  scopedKey = await key({ name: 'handbook only', kbIds: [handbookKb], readOnly: true });
}, 60_000);
afterAll(async () => {
  await server.stop(1000);
  worker.stop();
  await deps.cleanup();
});

describe('MCP server at /mcp', () => {
  it('lists its four tools, each with a description and an input schema a model can fill', async () => {
    const mcp = await connect(fullKey);
    expect(mcp.getServerVersion()).toMatchObject({ name: 'context-os' });
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'ask_knowledge_base',
      'get_document',
      'list_knowledge_bases',
      'search_knowledge_base',
    ]);
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(60);
      expect(tool.inputSchema.type).toBe('object');
    }
    const searchTool = tools.find((t) => t.name === 'search_knowledge_base');
    expect(searchTool?.inputSchema.required).toEqual(['kbId', 'query']);
    const props = searchTool?.inputSchema.properties as Record<string, { description?: string }>;
    expect(Object.keys(props).sort()).toEqual(['filter', 'kbId', 'mode', 'query', 'topK']);
    for (const p of Object.values(props)) expect(p.description).toBeTruthy();
    await mcp.close();
  });

  it('lists the KBs, searches with a metadata filter, reads a document and answers with citations', async () => {
    const mcp = await connect(fullKey);
    const kbs = body(await mcp.callTool({ name: 'list_knowledge_bases', arguments: {} }));
    expect(kbs.knowledgeBases.map((k: { title: string }) => k.title).sort()).toEqual(['Payroll', 'Redis']);

    const found = body(
      await mcp.callTool({
        name: 'search_knowledge_base',
        arguments: {
          kbId: handbookKb,
          query: 'how much data does appendfsync lose',
          topK: 3,
          filter: { conditions: [{ name: 'year', comparison_operator: '≥', value: 2024 }] },
        },
      }),
    );
    expect(found.hits.length).toBeGreaterThan(0);
    const [hit] = found.hits;
    expect(hit.document).toMatchObject({ id: handbookId, fileName: 'redis.md', metadata: { year: 2025 } });
    expect(hit.section).toMatchObject({ id: expect.any(String), text: expect.stringContaining('Persistence') });
    expect(hit.passages[0]).toMatchObject({ id: expect.any(String), text: expect.stringContaining('everysec') });
    expect(found.hits.every((h: { document: { id: string } }) => h.document.id === handbookId)).toBe(true);

    const doc = body(await mcp.callTool({ name: 'get_document', arguments: { documentId: handbookId } }));
    expect(doc).toMatchObject({ id: handbookId, fileName: 'redis.md', status: 'completed', metadata: { team: 'ops' } });
    expect(doc.summary).toBeTruthy();
    expect(doc.sections.length).toBeGreaterThan(0);
    expect(doc.sections[0]).toMatchObject({ id: expect.any(String), heading: expect.stringContaining('Persistence') });
    const whole = doc.sections.map((s: { text: string }) => s.text).join('\n');
    for (const phrase of ['appendfsync everysec', 'noeviction policy refuses writes']) expect(whole).toContain(phrase);

    const asked = body(
      await mcp.callTool({
        name: 'ask_knowledge_base',
        arguments: { kbId: handbookKb, question: 'What does the noeviction policy do?' },
      }),
    );
    expect(asked.model).toBe('extractive');
    expect(asked.answer).toMatch(/refuses writes/);
    expect(asked.answer).toMatch(/\[\d+\]/);
    expect(asked.citations[0]).toMatchObject({ fileName: expect.stringMatching(/^redis/), quote: expect.any(String) });
    await mcp.close();
  });

  it('lets a read-only key limited to one KB see only that KB', async () => {
    const mcp = await connect(scopedKey);
    const kbs = body(await mcp.callTool({ name: 'list_knowledge_bases', arguments: {} }));
    expect(kbs.knowledgeBases).toEqual([expect.objectContaining({ id: handbookKb, role: 'viewer' })]);
    for (const [name, args] of [
      ['search_knowledge_base', { kbId: secretKb, query: 'salaries' }],
      ['ask_knowledge_base', { kbId: secretKb, question: 'When are salaries paid?' }],
    ] as const) {
      const r = (await mcp.callTool({ name, arguments: args })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/not found/i);
      expect(text(r)).not.toMatch(/25th/);
    }
    const secretDoc = body(await connect(fullKey).then((m) => m.callTool({ name: 'list_knowledge_bases' })));
    expect(secretDoc.knowledgeBases).toHaveLength(2);
    const searched = body(
      await mcp.callTool({ name: 'search_knowledge_base', arguments: { kbId: handbookKb, query: 'eviction' } }),
    );
    expect(searched.hits.length).toBeGreaterThan(0);
    await mcp.close();
  });

  it('answers bad arguments and unknown ids as tool errors and keeps the connection', async () => {
    const mcp = await connect(fullKey);
    for (const [name, args, message] of [
      ['get_document', { documentId: 'no-such-document' }, /not found/i],
      ['search_knowledge_base', { kbId: 'no-such-kb', query: 'eviction' }, /not found/i],
      ['ask_knowledge_base', { kbId: 'no-such-kb', question: 'What is eviction?' }, /not found/i],
      [
        'search_knowledge_base',
        { kbId: handbookKb, query: 'x', filter: { conditions: [{ name: 'year', comparison_operator: 'bigger' }] } },
        /comparison_operator/,
      ],
      ['search_knowledge_base', { kbId: handbookKb, query: '' }, /query/],
      ['search_knowledge_base', { kbId: handbookKb, query: 'x', topK: 500 }, /topK/],
      [
        'search_knowledge_base',
        { kbId: handbookKb, query: 'x', filter: { conditions: [{ name: 'year', comparison_operator: '>' }] } },
        /needs a value/,
      ],
    ] as const) {
      const r = (await mcp.callTool({ name, arguments: args })) as CallToolResult;
      expect(r.isError, name).toBe(true);
      expect(text(r)).toMatch(message);
    }
    // The same session still answers: the errors were results, not a broken connection.
    expect((await mcp.listTools()).tools).toHaveLength(4);
    const after = (await mcp.callTool({
      name: 'search_knowledge_base',
      arguments: { kbId: handbookKb, query: 'eviction policy' },
    })) as CallToolResult;
    expect(after.isError).toBeFalsy();
    expect(body(after).hits.length).toBeGreaterThan(0);
    await mcp.close();
  });

  it('refuses a wrong key, a revoked key and no key with 401', async () => {
    const extra = await api.call('POST', '/api/api-keys', { token: owner.token, body: { name: 'revoked' } });
    await api.call('DELETE', `/api/api-keys/${extra.json.apiKey.id}`, { token: owner.token });
    for (const key of ['cos_wrong', extra.json.key as string]) {
      await expect(connect(key)).rejects.toMatchObject({ code: 401, message: expect.stringMatching(/revoked/) });
    }
    const anonymous = await fetch(new URL('/mcp', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const get = await fetch(new URL('/mcp', base), { headers: { authorization: `Bearer ${fullKey}` } });
    expect(get.status).toBe(405);
  });
});
