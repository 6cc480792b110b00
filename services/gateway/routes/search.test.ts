import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { client } from '../../../tests/helpers/http.ts';
import { draftFromMarkdown, writeDocument } from '../../../tests/search/load.ts';
import { createApp } from '../app.ts';

const DOC = '# Bees\n\n## Swarming\n\nA crowded hive swarms in spring.\n\nAdd a super for space.';

describe('POST /api/search (in-process)', () => {
  let deps: TestDeps;
  let api: ReturnType<typeof client>;
  let token: string;
  let kbId: string;
  beforeEach(async () => {
    deps = await createTestDeps();
    api = client(createApp(deps));
    const owner = await api.register('owner@example.com');
    token = owner.token;
    kbId = (await api.call('POST', '/api/kbs', { body: { title: 'kb' }, token })).json.kb.id;
    await writeDocument(deps, owner.userId, kbId, draftFromMarkdown('bees.md', DOC));
  });
  afterEach(() => deps.cleanup());

  it('answers hits in the contract shape', async () => {
    const res = await api.call('POST', '/api/search', { body: { kbId, query: 'hive swarms', topK: 1 }, token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ mode: 'drill-down', query: 'hive swarms', tookMs: expect.any(Number) });
    expect(res.json.hits[0]).toMatchObject({
      document: { fileName: 'bees.md', score: expect.any(Number), summary: expect.any(String) },
      parent: { content: expect.stringContaining('Swarming'), score: expect.any(Number) },
      children: [{ content: 'A crowded hive swarms in spring.', score: expect.any(Number) }],
    });
  });

  it('needs a signed-in user', async () => {
    const res = await api.call('POST', '/api/search', { body: { kbId, query: 'hive' } });
    expect(res.status).toBe(401);
  });

  it.each([
    [{ query: '' }, /query/],
    [{ query: 'hive', mode: 'sideways' }, /mode/],
    [{ query: 'hive', topK: 500 }, /topK/],
    [{ query: 'hive', hybrid: 'yes' }, /hybrid/],
  ])('refuses %j with 400 validation_failed', async (patch, message) => {
    const res = await api.call('POST', '/api/search', { body: { kbId, ...patch }, token });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'validation_failed', requestId: expect.any(String) });
    expect(res.json.error.message).toMatch(message);
  });

  it("answers 404 for another user's KB", async () => {
    const other = await api.register('other@example.com');
    const res = await api.call('POST', '/api/search', { body: { kbId, query: 'hive' }, token: other.token });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
  });
});
