import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { registerUser } from '../../core/auth/users.ts';
import { createSession, listMessages } from '../../core/chat/sessions.ts';
import { createKb } from '../../core/kbs/index.ts';
import { issueToken } from '../../http/auth.ts';
import { createApp } from '../app.tsx';

let deps: TestDeps;
let cookie: string;
let userId: string;
let sessionId: string;

beforeEach(async () => {
  deps = await createTestDeps();
  const user = await registerUser(deps.db, { email: 'ada@example.com', password: 'correct horse battery' }, 'open');
  userId = user.id;
  cookie = `cos_session=${await issueToken(deps.jwtSecret, user, 0)}`;
  const kb = createKb(deps.db, { userId: user.id }, { title: 'Empty' });
  sessionId = createSession(deps.db, { userId: user.id }, { kbId: kb.id }).id;
});
afterEach(() => deps.cleanup());

const ask = (headers: Record<string, string>) =>
  createApp(deps).request(`http://console.test/chat/${sessionId}/messages`, {
    method: 'POST',
    body: new URLSearchParams({ content: 'What is in here?' }),
    headers: { cookie, origin: 'http://console.test', 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

describe('chat messages', () => {
  it('streams the answer as delta events, then the rendered exchange, and stores both turns', async () => {
    const res = await ask({ accept: 'text/event-stream' });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const body = await res.text();
    const events = [...body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events.filter((e) => e === 'delta').length).toBeGreaterThan(1);
    expect(events.at(-1)).toBe('done');
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
});
