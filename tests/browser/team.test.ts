import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAQ, HANDBOOK } from './fixtures.ts';
import { hasChromium, launchChromium, type RunningApp, shoot, startAllInOne } from './harness.ts';

if (!hasChromium) console.warn('[browser] /usr/bin/chromium is missing: the team journey is SKIPPED');

const ADMIN = { email: 'lead@team.example', password: 'correct horse battery' };
const COLLEAGUE = { email: 'mei@team.example', password: 'colleague password 1' };

/**
 * An invite-only installation: the administrator (English) invites a colleague (Chinese),
 * who signs up with the link, works in a shared KB as viewer, then editor, loses access when
 * removed, changes their password and resets it with the admin's link.
 */
describe.skipIf(!hasChromium)('a team in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let admin: Page;
  let colleague: Page;
  let kbUrl = '';
  let invitation = '';
  let chatUrl = '';
  const problems: string[] = [];
  const foreignRequests: string[] = [];

  const open = async (locale: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    context.setDefaultTimeout(5000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      // Refused requests (403, 404) are part of the journey; the browser reports each one.
      const expected = /status of 4\d\d/.test(m.text());
      if ((m.type() === 'error' || m.type() === 'warning') && !expected) problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(app.baseUrl)) foreignRequests.push(r.url());
    });
    return page;
  };
  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAllInOne({ SIGNUP: 'invite' }), launchChromium()]);
    admin = await open('en-US');
    colleague = await open('zh-CN');
  }, 40_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.stop();
  });

  it('the administrator signs up first, without an invitation, and shares a handbook', async () => {
    await admin.goto(`${app.baseUrl}/signup`);
    await admin.getByLabel('Email').fill(ADMIN.email);
    await admin.getByLabel('Password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Create account' }).click();
    await admin.waitForURL('**/kbs');
    await admin.getByLabel('Title').fill('Team handbook');
    await admin.getByRole('button', { name: 'Create knowledge base' }).click();
    await admin.waitForURL(/\/kbs\/[\w-]+$/);
    kbUrl = admin.url();
    expect(await admin.locator('#kb-role').textContent()).toBe('Your role: Owner');
    await admin.setInputFiles('#f-file', {
      name: 'handbook.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(HANDBOOK),
    });
    await admin.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => admin.locator('#doc-list tr[data-status="completed"]').count(), { timeout: 20_000, interval: 250 })
      .toBe(1);
  });

  it('invites a colleague; the link is shown once', async () => {
    await admin.getByRole('link', { name: 'Admin' }).click();
    await admin.getByRole('link', { name: 'Invitations' }).click();
    await admin.getByLabel('Email (optional: only this address may use it)').fill(COLLEAGUE.email);
    await admin.getByRole('button', { name: 'Create invitation' }).click();
    invitation = ((await admin.locator('#invitation-link').textContent()) ?? '').trim();
    expect(invitation).toMatch(/\/signup\?invitation=[\w-]{20,}$/);
    expect(await admin.locator('#invitations-table tr[data-state="pending"]').textContent()).toContain(COLLEAGUE.email);
    await shoot(admin, 'admin-invitations');
    await admin.goto(`${app.baseUrl}/admin/invitations`);
    expect(await admin.locator('#invitation-link').count()).toBe(0);
  });

  it('the colleague cannot sign up without it, and signs up with it (in Chinese)', async () => {
    await colleague.goto(`${app.baseUrl}/signup`);
    expect(await colleague.locator('main').textContent()).toContain('仅限受邀注册');
    expect(await colleague.locator('#signup-form').count()).toBe(0);
    await colleague.goto(invitation);
    expect(await colleague.locator('main').textContent()).toContain('你收到了邀请');
    await shoot(colleague, 'signup-invited-zh');
    await colleague.getByLabel('邮箱', { exact: true }).fill(COLLEAGUE.email);
    await colleague.getByLabel('密码', { exact: true }).fill(COLLEAGUE.password);
    await colleague.getByRole('button', { name: '创建账号' }).click();
    await colleague.waitForURL('**/kbs');
    expect(await colleague.locator('#kb-list').count()).toBe(0);
  });

  it('is added as a viewer: searches and chats, but has no way to upload', async () => {
    await admin.goto(`${kbUrl}/members`);
    await admin.getByLabel('Email of their account').fill(COLLEAGUE.email);
    await admin.locator('#f-role').selectOption('viewer');
    await admin.getByRole('button', { name: 'Add member' }).click();
    await expect
      .poll(() => admin.locator(`tr[data-email="${COLLEAGUE.email}"]`).getAttribute('data-role'))
      .toBe('viewer');
    await shoot(admin, 'kb-members');

    await colleague.reload();
    await colleague.getByRole('link', { name: 'Team handbook' }).click();
    expect(await colleague.locator('#kb-role').textContent()).toBe('你的角色：查看者');
    expect(await colleague.locator('#upload-form').count()).toBe(0);
    expect(await colleague.locator('#viewer-notice').textContent()).toContain('查看者');
    await shoot(colleague, 'kb-viewer-zh');
    // Even a hand-made upload from the page is refused.
    const status = await colleague.evaluate(
      async (action) => {
        const body = new FormData();
        body.append('file', new File(['planted'], 'planted.md'));
        return (await fetch(action, { method: 'POST', body })).status;
      },
      `${new URL(kbUrl).pathname}/documents`,
    );
    expect(status).toBe(403);

    await colleague.getByRole('link', { name: '检索' }).click();
    await colleague.getByLabel('查询').fill('When do releases ship?');
    await colleague.getByRole('radio', { name: /^平铺/ }).check();
    await colleague.getByRole('button', { name: '检索' }).click();
    await expect.poll(() => colleague.locator('#search-results .hit').count()).toBeGreaterThan(0);
    expect(await colleague.locator('#search-results').textContent()).toContain('Tuesday');

    await colleague.getByRole('link', { name: '对话' }).click();
    await colleague.getByRole('button', { name: '新建对话' }).click();
    await colleague.waitForURL(/\/chat\/[\w-]+$/);
    chatUrl = colleague.url();
    await colleague.getByLabel('你的问题').fill('When do releases ship?');
    await colleague.getByRole('button', { name: '发送' }).click();
    await colleague.locator('#messages .message-assistant .citation-link').first().waitFor({ timeout: 15_000 });
    expect(await colleague.locator('#messages .message-assistant').last().textContent()).toContain('Tuesday');
  });

  it('is promoted to editor and uploads', async () => {
    await admin.reload();
    const row = admin.locator(`tr[data-email="${COLLEAGUE.email}"]`);
    await row.getByRole('combobox').selectOption('editor');
    await row.getByRole('button', { name: 'Change role' }).click();
    await expect
      .poll(() => admin.locator(`tr[data-email="${COLLEAGUE.email}"]`).getAttribute('data-role'))
      .toBe('editor');

    await colleague.goto(kbUrl);
    expect(await colleague.locator('#kb-role').textContent()).toBe('你的角色：编辑者');
    await colleague.setInputFiles('#f-file', { name: 'faq.md', mimeType: 'text/markdown', buffer: Buffer.from(FAQ) });
    await colleague.getByRole('button', { name: '上传' }).click();
    await expect
      .poll(() => colleague.locator('#doc-list tr[data-status="completed"]').count(), {
        timeout: 20_000,
        interval: 250,
      })
      .toBe(2);
    await shoot(colleague, 'kb-editor-zh');
  });

  it('is removed and loses access at once: the KB, its documents and their own chat', async () => {
    admin.once('dialog', (d) => d.accept());
    await admin.locator(`tr[data-email="${COLLEAGUE.email}"]`).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => admin.locator(`tr[data-email="${COLLEAGUE.email}"]`).count()).toBe(0);

    for (const url of [kbUrl, `${kbUrl}/search?q=releases&mode=flat`, chatUrl]) {
      const res = await colleague.goto(url);
      expect(res?.status(), url).toBe(404);
      expect(await colleague.locator('main').textContent()).toContain('不存在，或不属于你。');
      expect(await colleague.locator('main').textContent()).not.toContain('Tuesday');
    }
    await colleague.goto(`${app.baseUrl}/kbs`);
    expect(await colleague.locator('main').textContent()).not.toContain('Team handbook');
  });

  it('changes their password on the account page', async () => {
    await colleague.getByRole('link', { name: '账号' }).click();
    expect(await heading(colleague)).toBe('我的账号');
    await colleague.getByLabel('当前密码').fill('not my password');
    await colleague.getByLabel('新密码').fill('colleague password 2');
    await colleague.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => colleague.locator('#f-currentPassword-error').textContent()).toBe('当前密码不正确。');
    await colleague.getByLabel('当前密码').fill(COLLEAGUE.password);
    await colleague.getByLabel('新密码').fill('colleague password 2');
    await colleague.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => colleague.getByRole('status').textContent()).toContain('密码已修改');
    await shoot(colleague, 'account-zh');
    // This session goes on.
    await colleague.goto(`${app.baseUrl}/kbs`);
    expect(colleague.url()).toContain('/kbs');
  });

  it("resets it with the administrator's one-time link, which ends the old session", async () => {
    await admin.goto(`${app.baseUrl}/admin/users`);
    await admin.locator('tr', { hasText: COLLEAGUE.email }).getByRole('button', { name: 'Reset link' }).click();
    const link = ((await admin.locator('#reset-link').textContent()) ?? '').trim();
    expect(link).toMatch(/\/reset-password\?token=[\w-]{20,}$/);
    await shoot(admin, 'admin-users-reset');

    await colleague.goto(link);
    expect(await heading(colleague)).toBe('设置新密码');
    await colleague.getByLabel('新密码').fill('colleague password 3');
    await colleague.getByRole('button', { name: '设置新密码' }).click();
    await colleague.waitForURL('**/login?reset=done');
    expect(await colleague.getByRole('status').textContent()).toBe('密码已修改，请用新密码登录。');
    await colleague.goto(`${app.baseUrl}/kbs`);
    await colleague.waitForURL(/\/login/);
    await colleague.goto(link);
    expect(await colleague.locator('main').textContent()).toContain('该重置链接已失效');
    await colleague.goto(`${app.baseUrl}/login`);
    await colleague.getByLabel('邮箱', { exact: true }).fill(COLLEAGUE.email);
    await colleague.getByLabel('密码', { exact: true }).fill('colleague password 3');
    await colleague.getByRole('button', { name: '登录' }).click();
    await colleague.waitForURL('**/kbs');
  });

  it('shows the administrator every access change in the audit list, in both languages', async () => {
    await admin.goto(`${app.baseUrl}/admin/audit`);
    const actions = await admin
      .locator('#audit-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    for (const action of [
      'user.registered',
      'invitation.created',
      'kb.member_added',
      'kb.member_role_changed',
      'kb.member_removed',
      'user.password_changed',
      'user.reset_link_created',
      'user.password_reset',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(await admin.locator('#audit-table').textContent()).toContain(COLLEAGUE.email);
    await shoot(admin, 'admin-audit');
    await admin.getByRole('button', { name: 'Language' }).click();
    await expect.poll(() => heading(admin)).toBe('系统管理');
    expect(await admin.locator('#audit-table').textContent()).toContain('添加成员');
    await shoot(admin, 'admin-audit-zh');
    await admin.goto(`${kbUrl}/members`);
    expect(await admin.locator('#members-title').textContent()).toBe('成员');
    await shoot(admin, 'kb-members-zh');
    await admin.goto(`${app.baseUrl}/admin/invitations`);
    expect(await admin.locator('#invitations-table tr[data-state="used"]').textContent()).toContain('已使用');
  });

  it('made no request to another host and logged no browser error', () => {
    expect(foreignRequests).toEqual([]);
    expect(problems).toEqual([]);
  });
});
