import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Citation } from '../../services/core/chat/types.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { parseSse, startGateway } from './live.ts';
import { CATS, seedDocument, VOLCANOES } from './seed.ts';

let deps: TestDeps;
let gw: Awaited<ReturnType<typeof startGateway>>;
let user: { token: string; userId: string };
let sessionId: string;

beforeAll(async () => {
  deps = await createTestDeps();
  gw = await startGateway(deps);
  user = await gw.register('solo-chat@example.com');
  const kbId = (await gw.call('POST', '/api/kbs', { token: user.token, body: { title: 'Offline' } })).json.kb.id;
  await seedDocument(deps, user.userId, kbId, CATS);
  sessionId = (await gw.call('POST', '/api/chat/sessions', { token: user.token, body: { kbId } })).json.session.id;
});
afterAll(async () => {
  await gw.stop();
  await deps.cleanup();
});

describe('chat without ONEAPI', () => {
  it('has no chat client and answers extractively with citations', async () => {
    expect(deps.chat).toBeUndefined();
    const models = await gw.call('GET', '/api/chat/models', { token: user.token });
    expect(models.json).toEqual({ items: [], default: 'extractive' });
    const r = await gw.call('POST', `/api/chat/sessions/${sessionId}/messages`, {
      token: user.token,
      body: { content: 'How many hours do cats sleep?' },
    });
    expect(r.status).toBe(200);
    expect(r.json.message.model).toBe('extractive');
    const citations: Citation[] = r.json.citations;
    const sleep = citations.find((c) => c.quote.includes('twelve and sixteen hours'));
    expect(sleep).toMatchObject({ fileName: 'cats.md' });
    expect(r.json.message.content).toContain(
      `> Adult cats sleep between twelve and sixteen hours a day. [${sleep?.index}]`,
    );
  });

  it('streams the extractive answer as SSE too', async () => {
    const res = await gw.stream(`/api/chat/sessions/${sessionId}/messages`, user.token, {
      content: 'Why do cats purr?',
    });
    const { events } = parseSse(await res.text());
    expect(events.filter((e) => e.event === 'token').length).toBeGreaterThan(3);
    expect(events.map((e) => e.event).slice(-2)).toEqual(['citations', 'done']);
    expect(JSON.parse(events.at(-1)?.data ?? '{}').message.content).toContain('Cats purr when they are content');
  });

  it('answers a Chinese question in Chinese, quoting the Chinese passage', async () => {
    const kbId = (await gw.call('POST', '/api/kbs', { token: user.token, body: { title: '地理' } })).json.kb.id;
    await seedDocument(deps, user.userId, kbId, VOLCANOES);
    const s = (await gw.call('POST', '/api/chat/sessions', { token: user.token, body: { kbId } })).json.session.id;
    const r = await gw.call('POST', `/api/chat/sessions/${s}/messages`, {
      token: user.token,
      body: { content: '火山为什么会喷发？' },
    });
    expect(r.json.message.content).toMatch(/^以下是知识库中最相关的原文/);
    expect(r.json.message.content).toContain('火山喷发是因为地下岩浆的压力超过了地壳的承受能力。');
    expect(r.json.citations[0].fileName).toBe('火山.md');
  });

  it('says so when the KB has nothing on the question', async () => {
    const kbId = (await gw.call('POST', '/api/kbs', { token: user.token, body: { title: 'Empty' } })).json.kb.id;
    const s = (await gw.call('POST', '/api/chat/sessions', { token: user.token, body: { kbId } })).json.session.id;
    const r = await gw.call('POST', `/api/chat/sessions/${s}/messages`, {
      token: user.token,
      body: { content: 'anything?' },
    });
    expect(r.status).toBe(200);
    expect(r.json.citations).toEqual([]);
    expect(r.json.message.content).toContain('found nothing');
  });
});
