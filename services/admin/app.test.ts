import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../tests/helpers/deps.ts';
import { createApp } from './app.tsx';

const BASE = 'http://console.test';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  deps = await createTestDeps();
  app = createApp(deps);
});
afterEach(() => deps.cleanup());

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.request(`${BASE}${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

const get = (path: string, headers: Record<string, string> = {}) => app.request(`${BASE}${path}`, { headers });

async function signUp(email: string): Promise<string> {
  const res = await post('/signup', { email, password: 'correct horse battery' });
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

describe('console', () => {
  it('signs up, lands on the knowledge bases and creates one', async () => {
    const cookie = await signUp('ada@example.com');
    const list = await get('/kbs', { cookie });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('Your knowledge bases');
    const created = await post('/kbs', { title: 'Handbook', description: 'Team rules' }, { cookie });
    expect(created.status).toBe(303);
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(/^\/kbs\/[\w-]+$/);
    expect(await (await get(`${location}/edit`, { cookie })).text()).toContain('Handbook');
  });

  it('renames and deletes a knowledge base from its settings', async () => {
    const cookie = await signUp('ada@example.com');
    const kbUrl = (await post('/kbs', { title: 'Draft' }, { cookie })).headers.get('location') ?? '';
    const blank = await post(`${kbUrl}/edit`, { title: '  ' }, { cookie, 'hx-request': 'true' });
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain('<p class="error" id="f-title-error">Required.</p>');
    const renamed = await post(
      `${kbUrl}/edit`,
      { title: 'Handbook', description: 'Rules' },
      { cookie, 'hx-request': 'true' },
    );
    expect(renamed.status).toBe(204);
    expect(renamed.headers.get('hx-redirect')).toBe(kbUrl);
    expect(await (await get('/kbs', { cookie })).text()).toContain('Handbook');
    expect((await post(`${kbUrl}/delete`, {}, { cookie })).headers.get('location')).toBe('/kbs');
    expect((await get(kbUrl, { cookie })).status).toBe(404);
  });

  it('shows validation errors next to the field, in Chinese when the browser asks for it', async () => {
    const res = await post(
      '/signup',
      { email: 'not-an-email', password: 'short' },
      { 'accept-language': 'zh-CN,zh;q=0.9' },
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toMatch(/aria-invalid="true" aria-describedby="f-email-error"/);
    expect(html).toContain('<p class="error" id="f-email-error">请输入有效的邮箱地址。</p>');
    expect(html).toContain('<p class="error" id="f-password-error">至少 8 个字符。</p>');
  });

  it('re-renders only the form for htmx requests', async () => {
    const res = await post('/login', { email: 'nobody@example.com', password: 'whatever1' }, { 'hx-request': 'true' });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html.startsWith('<form')).toBe(true);
    expect(html).toContain('Email or password is incorrect.');
  });

  it('remembers the language switch in a cookie', async () => {
    const res = await post('/lang', { lang: 'zh', back: '/login' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toBe('cos_lang=zh');
    expect(await (await get('/login', { cookie, 'accept-language': 'en' })).text()).toContain('<h1>登录</h1>');
  });

  it('sends anonymous visitors to log in', async () => {
    const res = await get('/kbs/abc');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fkbs%2Fabc');
  });

  it("answers another user's knowledge base with a not-found page, not JSON", async () => {
    const owner = await signUp('owner@example.com');
    const other = await signUp('other@example.com');
    const kbUrl = (await post('/kbs', { title: 'Private' }, { cookie: owner })).headers.get('location') ?? '';
    const res = await get(`${kbUrl}/edit`, { cookie: other });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Not found, or not yours.');
    expect((await post(`${kbUrl}/delete`, {}, { cookie: other })).status).toBe(404);
  });

  it('answers htmx errors with an alert fragment aimed at the flash region', async () => {
    const owner = await signUp('owner@example.com');
    const other = await signUp('other@example.com');
    const kbUrl = (await post('/kbs', { title: 'Private' }, { cookie: owner })).headers.get('location') ?? '';
    const res = await post(`${kbUrl}/delete`, {}, { cookie: other, 'hx-request': 'true', 'accept-language': 'zh' });
    expect(res.status).toBe(404);
    expect(res.headers.get('hx-retarget')).toBe('#flash');
    const html = await res.text();
    expect(html.startsWith('<div class="alert alert-error" role="alert">')).toBe(true);
    expect(html).toContain('不存在，或不属于你。');
  });

  it('keeps administration to admins: the first account is one, the second is not', async () => {
    const admin = await signUp('admin@example.com');
    const user = await signUp('user@example.com');
    expect((await get('/admin/users', { cookie: admin })).status).toBe(200);
    expect((await get('/admin/health', { cookie: admin })).status).toBe(200);
    expect((await get('/admin/users', { cookie: user })).status).toBe(403);
  });

  it('lets an admin disable an account, which ends its session', async () => {
    const admin = await signUp('admin@example.com');
    const user = await signUp('user@example.com');
    const row = /action="\/admin\/users\/([\w-]+)"/.exec(await (await get('/admin/users', { cookie: admin })).text());
    const userId = row?.[1] ?? '';
    expect((await post(`/admin/users/${userId}`, { disabled: 'true' }, { cookie: admin })).status).toBe(303);
    const after = await get('/kbs', { cookie: user });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toContain('/login');
    const login = await post('/login', { email: 'user@example.com', password: 'correct horse battery' });
    expect(login.status).toBe(403);
    expect(await login.text()).toContain('This account is disabled.');
  });

  it('refuses a cross-site form post carrying the session cookie', async () => {
    const cookie = await signUp('ada@example.com');
    const res = await post('/kbs', { title: 'Evil' }, { cookie, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('it came from another site');
  });

  it('shows a new API key once', async () => {
    const cookie = await signUp('ada@example.com');
    const created = await post('/account/api-keys', { name: 'ci' }, { cookie });
    expect(created.status).toBe(201);
    const key = /<code class="secret" id="new-key">(cos_[\w-]+)<\/code>/.exec(await created.text())?.[1];
    expect(key).toBeTruthy();
    const again = await (await get('/account/api-keys', { cookie })).text();
    expect(again).toContain('ci');
    expect(again).not.toContain(key);
  });
});

describe('console form bodies', () => {
  it('answers a malformed multipart body with 400, not 500', async () => {
    const cookie = await signUp('form@example.com');
    const res = await app.request(`${BASE}/kbs`, {
      method: 'POST',
      body: '--nope\r\nthis is not multipart',
      headers: { origin: BASE, cookie, 'content-type': 'multipart/form-data; boundary=expected' },
    });
    expect(res.status).toBe(400);
  });

  it('caps plain forms at 1 MB while uploads keep the upload limit', async () => {
    const res = await post('/login', { email: 'a@example.com', password: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
  });
});
