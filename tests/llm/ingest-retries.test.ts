import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestWorker } from '../../services/core/ingest/worker.ts';
import { startGateway } from '../chat/live.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { type RunningMock, startMockOneApi } from '../helpers/mock-oneapi.ts';

const KEY = 'sk-ingest-key-0004';
let mock: RunningMock;
let deps: TestDeps;
let gw: Awaited<ReturnType<typeof startGateway>>;
let worker: { stop(): void };
let token: string;
let kbId: string;

/** A handbook long enough for more than one embedding batch. */
function handbook(): string {
  const sections = Array.from({ length: 40 }, (_, s) => {
    const paragraphs = Array.from(
      { length: 8 },
      (_, p) =>
        `Paragraph ${p} of topic ${s} explains maintenance step ${s}.${p} for the pump station, ` +
        `including valve checks, pressure readings and the log entry operators must write afterwards. `.repeat(3),
    );
    return `## Topic ${s}\n\n${paragraphs.join('\n\n')}`;
  });
  return `# Pump station handbook\n\n${sections.join('\n\n')}\n`;
}

async function upload(name: string, text: string) {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/markdown' }), name);
  const res = await fetch(`${gw.url}/api/kbs/${kbId}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { document: { id: string } }).document.id;
}

async function waitForDocument(id: string) {
  for (let i = 0; i < 200; i++) {
    const doc = (await gw.call('GET', `/api/documents/${id}`, { token })).json.document;
    if (doc.status === 'completed' || doc.status === 'failed') return doc;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('document did not finish');
}

beforeAll(async () => {
  mock = await startMockOneApi({ key: KEY, dimension: 32 });
  deps = await createTestDeps({ ONEAPI_BASE_URL: mock.baseUrl, ONEAPI_KEY: KEY, SUMMARY_MODEL: 'qwen-plus' });
  worker = await startIngestWorker(deps);
  gw = await startGateway(deps);
  token = (await gw.register('ingest-llm@example.com')).token;
  kbId = (await gw.call('POST', '/api/kbs', { token, body: { title: 'Plant' } })).json.kb.id;
});
afterAll(async () => {
  worker.stop();
  await gw.stop();
  await deps.cleanup();
  await mock.stop();
});

describe('ingestion through ONEAPI', () => {
  it('embeds in batches of at most 64 carrying the key, and summarises with SUMMARY_MODEL', async () => {
    await mock.control({ reset: true });
    const doc = await waitForDocument(await upload('handbook.md', handbook()));
    expect(doc.status).toBe('completed');
    const batches = mock.requests('/embeddings').map((r) => (r.body as { input: string[] }).input.length);
    const rows = 1 + doc.parentCount + doc.childCount;
    expect(rows).toBeGreaterThan(64);
    expect(Math.max(...batches)).toBe(64);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(rows);
    expect(mock.requests().every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    const summaryCall = mock.requests('/chat/completions')[0]?.body as { model: string };
    expect(summaryCall.model).toBe('qwen-plus');
    expect(doc.summary).toContain('Mock answer from qwen-plus');
  });

  it('retries transient 500s on embeddings and 429s on the summary, and the document completes', async () => {
    await mock.control({ reset: true, failNext: 2, failStatus: 500, failPath: '/embeddings' });
    const first = await waitForDocument(
      await upload('a.md', '# Valves\n\nClose the inlet valve before opening the filter.'),
    );
    expect(first.status).toBe('completed');
    const embedCalls = mock.requests('/embeddings');
    expect(embedCalls.length).toBe(3);

    await mock.control({ reset: true, failNext: 2, failStatus: 429, failPath: '/chat/completions' });
    const second = await waitForDocument(await upload('b.md', '# Pressure\n\nRecord the outlet pressure every hour.'));
    expect(second.status).toBe('completed');
    expect(mock.requests('/chat/completions')).toHaveLength(3);
    expect(second.summary).toContain('Mock answer');
    expect(deps.logLines.join('\n')).not.toContain(KEY);
  });
});
