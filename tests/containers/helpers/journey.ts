import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';

/** A document whose passages a search for "lighthouse keeper" must find. */
export const JOURNEY_DOC = `# Lighthouse operations

## Night watch
The lighthouse keeper lights the lamp at dusk and logs every passing ship in the night book.
The lamp turns once every ten seconds and can be seen twenty nautical miles out to sea.

## Maintenance
Every Sunday the keeper cleans the lens, trims the wick and checks the fuel stores.
Storm shutters are closed when the wind passes force eight.
`;

export interface Session {
  base: string;
  token: string;
  email: string;
  password: string;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
type Json = any;

/** Calls the public API with a bearer token; resolves status and parsed JSON body. */
export async function api(
  s: Pick<Session, 'base' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json; text: string }> {
  const headers: Record<string, string> = {};
  if (s.token) headers.authorization = `Bearer ${s.token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${s.base}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let json: Json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** Polls a document until `completed`; fails fast on `failed`. */
export async function waitCompleted(s: Session, docId: string, timeoutMs = 90_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api(s, 'GET', `/api/documents/${docId}`);
    expect(r.status, r.text).toBe(200);
    const doc = r.json.document;
    if (doc.status === 'completed') return doc;
    if (doc.status === 'failed') throw new Error(`ingest failed: ${doc.error}`);
    if (Date.now() > deadline) throw new Error(`document still ${doc.status} (${doc.stage}) after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Searches the KB and checks the night-watch passage comes back. */
export async function expectSearchFinds(s: Session, kbId: string): Promise<void> {
  const r = await api(s, 'POST', '/api/search', { kbId, query: 'when does the lighthouse keeper light the lamp' });
  expect(r.status, r.text).toBe(200);
  expect(r.json.hits.length).toBeGreaterThan(0);
  const text = JSON.stringify(r.json.hits);
  expect(text).toContain('lights the lamp at dusk');
}

export interface JourneyResult extends Session {
  kbId: string;
  docId: string;
  answer: string;
}

/**
 * The user journey of the public contract: register, create a KB, upload a document, wait
 * for `completed`, search, and ask the chat a question answered with citations.
 */
export async function runJourney(base: string): Promise<JourneyResult> {
  const email = `journey-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'journey password 2026';
  const reg = await api({ base, token: '' }, 'POST', '/api/auth/register', { email, password, name: 'Journey' });
  expect(reg.status, reg.text).toBe(201);
  const s: Session = { base, token: reg.json.token, email, password };

  const kb = await api(s, 'POST', '/api/kbs', { title: 'Lighthouse', description: 'operations manual' });
  expect(kb.status, kb.text).toBe(201);
  const kbId: string = kb.json.kb.id;

  const form = new FormData();
  form.append('file', new Blob([JOURNEY_DOC], { type: 'text/markdown' }), 'lighthouse.md');
  const up = await api(s, 'POST', `/api/kbs/${kbId}/documents`, form);
  expect(up.status, up.text).toBe(202);
  const docId: string = up.json.document.id;
  const doc = await waitCompleted(s, docId);
  expect(doc.childCount).toBeGreaterThan(0);

  await expectSearchFinds(s, kbId);

  const session = await api(s, 'POST', '/api/chat/sessions', { kbId, title: 'Questions' });
  expect(session.status, session.text).toBe(201);
  const msg = await api(s, 'POST', `/api/chat/sessions/${session.json.session.id}/messages`, {
    content: 'When does the lighthouse keeper light the lamp?',
  });
  expect(msg.status, msg.text).toBe(200);
  expect(msg.json.citations.length).toBeGreaterThan(0);
  expect(msg.json.citations.map((c: { documentId: string }) => c.documentId)).toContain(docId);
  return { ...s, kbId, docId, answer: String(msg.json.message.content) };
}

/** After a restart: the same user logs in and finds the KB, the completed document and its passages. */
export async function expectJourneySurvived(r: JourneyResult): Promise<void> {
  const login = await api({ base: r.base, token: '' }, 'POST', '/api/auth/login', {
    email: r.email,
    password: r.password,
  });
  expect(login.status, login.text).toBe(200);
  const s: Session = { ...r, token: login.json.token };
  const kbs = await api(s, 'GET', '/api/kbs');
  expect(kbs.json.items.map((k: { id: string }) => k.id)).toContain(r.kbId);
  const doc = await api(s, 'GET', `/api/documents/${r.docId}`);
  expect(doc.json.document.status).toBe('completed');
  await expectSearchFinds(s, r.kbId);
}

/** Asks a question with `Accept: text/event-stream`; resolves the event names in arrival order. */
export async function streamChatEvents(s: Session, kbId: string, content: string): Promise<string[]> {
  const session = await api(s, 'POST', '/api/chat/sessions', { kbId, title: 'Streamed' });
  expect(session.status, session.text).toBe(201);
  const res = await fetch(`${s.base}/api/chat/sessions/${session.json.session.id}/messages`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${s.token}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body: JSON.stringify({ content }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const body = await res.text();
  return [...body.matchAll(/^event: (\S+)$/gm)].map((m) => m[1] ?? '');
}
