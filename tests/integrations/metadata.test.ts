import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIngestWorker } from '../../services/core/ingest/worker.ts';
import { startIngestWorker } from '../../services/core/ingest/worker.ts';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';

let deps: TestDeps;
let worker: RunningIngestWorker;
let api: ReturnType<typeof client>;
let owner: { token: string; userId: string };
let kbId: string;

const POLICY = '# Travel policy\n\n## Trains\n\nStaff travel second class on trains under four hours.';
const MEMO = '# Travel memo\n\n## Trains\n\nThe 2023 memo allowed first class on trains.';

function uploadWith(name: string, text: string, metadata?: string) {
  const form = fileForm(name, text);
  if (metadata !== undefined) form.append('metadata', metadata);
  return api.call('POST', `/api/kbs/${kbId}/documents`, { token: owner.token, body: form });
}

beforeAll(async () => {
  deps = await createTestDeps();
  worker = await startIngestWorker(deps);
  api = client(createApp(deps));
  owner = await api.register('owner@example.com');
  kbId = (await api.call('POST', '/api/kbs', { token: owner.token, body: { title: 'Policies' } })).json.kb.id;
});
afterAll(async () => {
  worker.stop();
  await deps.cleanup();
});

describe('document metadata over the API', () => {
  let policyId: string;
  let memoId: string;

  it('takes metadata at upload as a JSON multipart field and shows it on the document', async () => {
    const metadata = { year: 2025, department: 'HR', tags: ['travel', 'policy'], effective: '2025-01-01' };
    const r = await uploadWith('policy.md', POLICY, JSON.stringify(metadata));
    expect(r.status, r.text).toBe(202);
    expect(r.json.document.metadata).toEqual(metadata);
    policyId = r.json.document.id;
    const memo = await uploadWith('memo.md', MEMO, JSON.stringify({ year: 2023, department: 'HR' }));
    memoId = memo.json.document.id;
    for (const id of [policyId, memoId]) expect((await waitForDocument(api, owner.token, id)).status).toBe('completed');
    const listed = await api.call('GET', `/api/kbs/${kbId}/documents`, { token: owner.token });
    const byId = new Map(listed.json.items.map((d: { id: string }) => [d.id, d]));
    expect(byId.get(policyId)).toMatchObject({ metadata });
  });

  it('refuses bad metadata at upload with a 400 naming it, and keeps nothing of the upload', async () => {
    const filesBefore = readdirSync(join(deps.dataDir, 'files', owner.userId)).length;
    for (const [metadata, message] of [
      ['{not json', /metadata: is not valid JSON/],
      ['[1, 2]', /metadata/],
      [JSON.stringify({ year: { nested: true } }), /metadata\.year/],
      [JSON.stringify({ tags: [1, 2] }), /metadata\.tags/],
      [JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))), /at most 50/],
    ] as const) {
      const r = await uploadWith('bad.md', POLICY, metadata);
      expect(r.status, r.text).toBe(400);
      expect(r.json.error.code).toBe('validation_failed');
      expect(r.json.error.message).toMatch(message);
    }
    const listed = await api.call('GET', `/api/kbs/${kbId}/documents`, { token: owner.token });
    expect(listed.json.items).toHaveLength(2);
    expect(readdirSync(join(deps.dataDir, 'files', owner.userId))).toHaveLength(filesBefore);
  });

  it('replaces metadata with PATCH, and a filtered search follows at once', async () => {
    const filter = { metadata: { conditions: [{ name: 'year', comparison_operator: '≥', value: 2024 }] } };
    const ask = () =>
      api.call('POST', '/api/search', {
        token: owner.token,
        body: { kbId, query: 'first class trains', mode: 'flat', filter },
      });
    const before = await ask();
    expect(before.status, before.text).toBe(200);
    expect(before.json.hits.map((h: { document: { id: string } }) => h.document.id)).toEqual([policyId]);
    expect(before.json.hits[0].document.metadata.year).toBe(2025);

    const patched = await api.call('PATCH', `/api/documents/${memoId}`, {
      token: owner.token,
      body: { metadata: { year: 2024, superseded: 'no' } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.document.metadata).toEqual({ year: 2024, superseded: 'no' });
    const after = await ask();
    expect(after.json.hits[0].document.id).toBe(memoId);
    expect((await api.call('GET', `/api/documents/${memoId}`, { token: owner.token })).json.document.metadata).toEqual({
      year: 2024,
      superseded: 'no',
    });
  });

  it('keeps metadata through a reprocess', async () => {
    const r = await api.call('POST', `/api/documents/${policyId}/reprocess`, { token: owner.token });
    expect(r.status).toBe(202);
    const done = await waitForDocument(api, owner.token, policyId);
    expect(done.metadata).toMatchObject({ year: 2025, department: 'HR' });
  });

  it('refuses a bad PATCH and a bad filter with 400, and a read-only key with 403', async () => {
    for (const body of [{}, { metadata: 'x' }, { metadata: { a: null } }, { metadata: {}, extra: 1 }]) {
      const r = await api.call('PATCH', `/api/documents/${policyId}`, { token: owner.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    const bad = await api.call('POST', '/api/search', {
      token: owner.token,
      body: {
        kbId,
        query: 'trains',
        filter: { metadata: { conditions: [{ name: 'year', comparison_operator: '>' }] } },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/needs a value/);
    const key = await api.call('POST', '/api/api-keys', { token: owner.token, body: { name: 'ro', readOnly: true } });
    const refused = await api.call('PATCH', `/api/documents/${policyId}`, {
      token: key.json.key,
      body: { metadata: { year: 1 } },
    });
    expect(refused.status).toBe(403);
    expect(
      (await api.call('GET', `/api/documents/${policyId}`, { token: owner.token })).json.document.metadata.year,
    ).toBe(2025);
  });
});
