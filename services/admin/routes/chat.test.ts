import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { registerUser } from '../../core/auth/users.ts';
import { createSession, deleteSession, listMessages, listSessions } from '../../core/chat/sessions.ts';
import { createKb } from '../../core/kbs/index.ts';
import { issueToken } from '../../http/auth.ts';
import { createApp } from '../app.tsx';

let deps: TestDeps;
let cookie: string;
let userId: string;
let sessionId: string;
let kbId: string;

beforeEach(async () => {
  deps = await createTestDeps();
  const user = await registerUser(deps.db, { email: 'ada@example.com', password: 'correct horse battery' }, 'open');
  userId = user.id;
  cookie = `cos_session=${await issueToken(deps.jwtSecret, user, 0)}`;
  const kb = createKb(deps.db, { userId: user.id }, { title: 'Empty' });
  kbId = kb.id;
  sessionId = createSession(deps.db, { userId: user.id }, { kbId: kb.id }).id;
});
afterEach(() => deps.cleanup());

const post = (path: string, content: string, headers: Record<string, string> = {}) =>
  createApp(deps).request(`http://console.test${path}`, {
    method: 'POST',
    body: new URLSearchParams({ content }),
    headers: { cookie, origin: 'http://console.test', 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
const ask = (headers: Record<string, string>) => post(`/chat/${sessionId}/messages`, 'What is in here?', headers);
const events = (body: string) => [...body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);

describe('chat messages', () => {
  it('streams the answer as delta events, then the rendered exchange, and stores both turns', async () => {
    const res = await ask({ accept: 'text/event-stream' });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const body = await res.text();
    expect(events(body).filter((e) => e === 'delta').length).toBeGreaterThan(1);
    expect(events(body).at(-1)).toBe('done');
    expect(events(body)).not.toContain('session');
    const done = /event: done\ndata: (.*)\n/.exec(body)?.[1] ?? '""';
    const html = JSON.parse(done) as string;
    expect(html).toContain('<div class="message message-user">');
    expect(html).toContain('What is in here?');
    expect(html).toContain('<div class="message message-assistant">');
    expect(listMessages(deps.db, { userId }, sessionId).map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('answers without JavaScript by storing the exchange and going back to the conversation', async () => {
    const res = await ask({});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/chat/${sessionId}`);
    expect(listMessages(deps.db, { userId }, sessionId)).toHaveLength(2);
  });

  it('offers the question box on a KB without conversations, and the first question starts one', async () => {
    deleteSession(deps.db, { userId }, sessionId);
    const page = await createApp(deps).request(`http://console.test/kbs/${kbId}/chat`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`action="/kbs/${kbId}/chat/messages"`);
    expect(html).toMatch(/<textarea[^>]*name="content"/);

    const res = await post(`/kbs/${kbId}/chat/messages`, 'What is in here?', { accept: 'text/event-stream' });
    const body = await res.text();
    expect(events(body)[0]).toBe('session');
    expect(events(body).at(-1)).toBe('done');
    const started = JSON.parse(/event: session\ndata: (.*)\n/.exec(body)?.[1] ?? '{}');
    const [session, ...others] = listSessions(deps.db, { userId }, kbId);
    expect(others).toEqual([]);
    expect(started).toMatchObject({ url: `/chat/${session?.id}`, action: `/chat/${session?.id}/messages` });
    expect(started.item).toContain(`href="/chat/${session?.id}"`);
    expect(listMessages(deps.db, { userId }, session?.id ?? '').map((m) => m.content)).toContain('What is in here?');
  });

  it('starts the conversation without JavaScript too, and starts none for an empty question', async () => {
    deleteSession(deps.db, { userId }, sessionId);
    const empty = await post(`/kbs/${kbId}/chat/messages`, '   ');
    expect(empty.status).toBe(303);
    expect(empty.headers.get('location')).toBe(`/kbs/${kbId}/chat`);
    expect(listSessions(deps.db, { userId }, kbId)).toEqual([]);
    const res = await post(`/kbs/${kbId}/chat/messages`, 'What is in here?');
    const [session] = listSessions(deps.db, { userId }, kbId);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/chat/${session?.id}`);
    expect(listMessages(deps.db, { userId }, session?.id ?? '')).toHaveLength(2);
  });
});
