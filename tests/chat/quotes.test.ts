import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Citation } from '../../services/core/chat/types.ts';
import { type RunningIngestWorker, startIngestWorker } from '../../services/core/ingest/worker.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';
import { startGateway } from './live.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/chat/${name}`, import.meta.url), 'utf8');

let deps: TestDeps;
let worker: RunningIngestWorker;
let gw: Awaited<ReturnType<typeof startGateway>>;
let user: { token: string; userId: string };

/** A KB holding one uploaded file, ingested by the real pipeline, and a chat session on it. */
async function sessionOver(fileName: string): Promise<string> {
  const kbId = (await gw.call('POST', '/api/kbs', { token: user.token, body: { title: fileName } })).json.kb.id;
  const upload = await gw.call('POST', `/api/kbs/${kbId}/documents`, {
    token: user.token,
    body: fileForm(fileName, fixture(fileName)),
  });
  expect(upload.status, upload.text).toBe(202);
  const doc = await waitForDocument(gw, user.token, upload.json.document.id);
  expect(doc.status).toBe('completed');
  return (await gw.call('POST', '/api/chat/sessions', { token: user.token, body: { kbId } })).json.session.id;
}

async function ask(sessionId: string, content: string) {
  const r = await gw.call('POST', `/api/chat/sessions/${sessionId}/messages`, { token: user.token, body: { content } });
  expect(r.status, r.text).toBe(200);
  return { text: r.json.message.content as string, citations: r.json.citations as Citation[] };
}

/** The `> ... [n]` lines of an extractive answer, with the citation each one names. */
const quotesOf = (answer: { text: string; citations: Citation[] }) =>
  [...answer.text.matchAll(/^> (.+) \[(\d+)\]$/gm)].map((m) => ({
    text: m[1] ?? '',
    citation: answer.citations.find((c) => c.index === Number(m[2])),
  }));

beforeAll(async () => {
  deps = await createTestDeps();
  worker = await startIngestWorker(deps);
  gw = await startGateway(deps);
  user = await gw.register('quotes@example.com');
});
afterAll(async () => {
  worker.stop();
  await gw.stop();
  await deps.cleanup();
});

describe('extractive answers quote the sentences that answer', () => {
  it('quotes the noeviction sentence of a Redis handbook, with its citation', async () => {
    const session = await sessionOver('redis-handbook.md');
    const answer = await ask(session, 'Which maxmemory policy does a job queue need?');
    const quotes = quotesOf(answer);
    expect(quotes.length).toBeGreaterThan(0);
    const [first] = quotes;
    expect(first?.text).toContain('noeviction');
    expect(first?.text).toContain('A job queue such as BullMQ or Sidekiq must run with');
    // The quote is the passage's own words, cited by the passage it comes from.
    const words = (first?.text ?? '').replace(/^…\s*|\s*…$/g, '');
    expect(first?.citation?.quote.replace(/\s+/g, ' ')).toContain(words.split(' … ')[0]);
    expect(answer.text).toContain('> — redis-handbook.md');
  });

  it('quotes the answering sentence of a Chinese handbook', async () => {
    const session = await sessionOver('redis-handbook-zh.md');
    const answer = await ask(session, '任务队列需要哪种内存淘汰策略？');
    expect(answer.text).toMatch(/^以下是知识库中最相关的原文/);
    const [first] = quotesOf(answer);
    expect(first?.text).toContain('任务队列（例如 BullMQ 或 Sidekiq）必须使用 `maxmemory-policy noeviction`');
    expect(first?.citation?.fileName).toBe('redis-handbook-zh.md');
  });
});
