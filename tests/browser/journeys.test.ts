import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAQ, GUIDE_ZH, HANDBOOK, INTRANET_PAGE } from './fixtures.ts';
import { hasChromium, launchChromium, type RunningApp, SCREENSHOT_DIR, shoot, startAllInOne } from './harness.ts';

if (!hasChromium) console.warn('[browser] /usr/bin/chromium is missing: the browser journeys are SKIPPED');

describe.skipIf(!hasChromium)('console in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const foreignRequests: string[] = [];
  let intranet: Server | undefined;

  beforeAll(async () => {
    // The journey imports a page from a local site, so intranet addresses are allowed.
    intranet = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(INTRANET_PAGE);
    }).listen(0, '127.0.0.1');
    await once(intranet, 'listening');
    [app, browser] = await Promise.all([startAllInOne({ URL_IMPORT_ALLOW_PRIVATE: 'true' }), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    context.setDefaultTimeout(5000);
    page = await context.newPage();
    page.on('console', (m) => {
      // Form validation answers 4xx on purpose; the browser reports each such response.
      const expected = /status of 4\d\d/.test(m.text());
      if ((m.type() === 'error' || m.type() === 'warning') && !expected) problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(app.baseUrl)) foreignRequests.push(r.url());
    });
  }, 40_000);

  afterAll(async () => {
    intranet?.close();
    await browser?.close();
    await app?.stop();
  });

  it('signs up; the first account is an administrator', async () => {
    await page.goto(`${app.baseUrl}/`);
    await expect.poll(() => page.url()).toContain('/login');
    await page.getByRole('link', { name: 'Sign up' }).first().click();
    await shoot(page, 'signup');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    // The browser's own checks would stop an invalid email: bypass them to see the server's messages.
    await page.locator('#signup-form').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('#f-password-error').textContent()).toBe('Use at least 8 characters.');
    await shoot(page, 'signup-errors');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/kbs');
    await expect.poll(() => page.getByRole('link', { name: 'Admin' }).count()).toBe(1);
    await shoot(page, 'kbs-empty');
  });

  it('creates a knowledge base', async () => {
    await page.locator('#kb-create').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Create knowledge base' }).click();
    await expect.poll(() => page.locator('#f-title-error').textContent()).toBe('Required.');
    await page.getByLabel('Title').fill('Product handbook');
    await page.getByLabel('Description (optional)').fill('How we build and ship');
    await page.getByRole('button', { name: 'Create knowledge base' }).click();
    await page.waitForURL(/\/kbs\/[\w-]+$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Product handbook');
  });

  it('uploads with the file input and drag and drop, and shows progress until completed', async () => {
    await page.setInputFiles('#f-file', {
      name: 'handbook.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(HANDBOOK),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.locator('#doc-list tr[data-status]').count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/kb-uploading-laptop.png`, caret: 'initial' });
    await page.locator('.dropzone').evaluate((zone, text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'faq.md', { type: 'text/markdown' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, FAQ);
    await expect.poll(() => page.locator('#doc-list tr[data-status]').count()).toBe(2);
    await expect
      .poll(() => page.locator('#doc-list tr[data-status="completed"]').count(), { timeout: 20_000, interval: 250 })
      .toBe(2);
    // Once nothing is pending the list stops polling.
    await expect.poll(() => page.locator('#doc-list').getAttribute('data-polling')).toBe('false');
    await shoot(page, 'kb-documents');
    await page.getByRole('link', { name: 'handbook.md' }).click();
    await expect.poll(() => page.locator('.sections .section').count()).toBeGreaterThan(0);
    expect(await page.locator('.sections .passages .chunk').count()).toBeGreaterThan(0);
    expect(await page.locator('#summary-title + .content').textContent()).not.toBe('No summary yet.');
    await shoot(page, 'document');
  });

  it('searches and shows document, section and passages with scores in every mode', async () => {
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Query').fill('When do releases ship?');
    for (const mode of [/^Flat/, /^Drill-down relaxed/, /^Drill-down \(/]) {
      await page.getByRole('radio', { name: mode }).check();
      await page.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => page.locator('#search-results .hit').count()).toBeGreaterThan(0);
      const first = page.locator('#search-results .hit').first();
      expect(await first.locator('.layer-document h3').textContent()).toBe('handbook.md');
      expect(await first.locator('.layer-parent .content').textContent()).toContain('Tuesday');
      expect(await first.locator('.layer-child .passages li').count()).toBeGreaterThan(0);
      expect(await first.locator('.score').count()).toBeGreaterThanOrEqual(3);
    }
    const hybrid = page.getByLabel('Hybrid (add full-text ranking)');
    expect(await hybrid.isChecked()).toBe(true);
    await hybrid.uncheck();
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.url()).not.toContain('hybrid=on');
    expect(await page.getByLabel('Hybrid (add full-text ranking)').isChecked()).toBe(false);
    await page.getByLabel('Hybrid (add full-text ranking)').check();
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.url()).toContain('hybrid=on');
    await expect.poll(() => page.locator('#search-results .meta').textContent()).toContain('drill-down');
    await shoot(page, 'search');
  });

  it('chats at once on a KB without conversations, with a streamed answer and a citation that opens the passage', async () => {
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.waitForURL(/\/kbs\/[\w-]+\/chat$/);
    // No conversation yet: the question box is there, and the first question starts one.
    await page.getByLabel('Your question').fill('When do releases ship?');
    await page.getByRole('button', { name: 'Send' }).click();
    const citation = page.locator('#messages .message-assistant .citation-link').first();
    await citation.waitFor({ timeout: 15_000 });
    expect(await page.locator('#messages .message-assistant .answer').first().textContent()).toContain('Tuesday');
    await page.waitForURL(/\/chat\/[\w-]+$/);
    // The conversation appears in the list, titled by the first question, without a reload.
    expect(await page.locator('.sessions a[aria-current="page"]').textContent()).toBe('When do releases ship?');
    // The next question goes to the same conversation.
    await page.getByLabel('Your question').fill('Who approves a release?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('#messages .message-assistant .answer').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.locator('.sessions li').count()).toBe(1);
    await page.reload();
    expect(await page.locator('#messages .message-user').count()).toBe(2);
    await shoot(page, 'chat');
    await citation.click();
    await page.waitForURL(/\/documents\/[\w-]+\?passage=/);
    expect(await page.locator('.chunk.highlight').textContent()).toContain('Tuesday');
  });

  it('keeps notes and shares one', async () => {
    await page.getByRole('link', { name: 'Knowledge bases' }).first().click();
    await page.getByRole('link', { name: 'Product handbook' }).click();
    await page.getByRole('link', { name: 'Notes' }).click();
    await page.getByLabel('Title').fill('Release checklist');
    await page.getByLabel('Content').fill('Tag, build, announce.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForURL(/\/notes\/[\w-]+$/);
    await page.getByRole('button', { name: 'Create share link' }).click();
    const link = await page.getByLabel('Share link (anyone with it can read the note)').inputValue();
    expect(link).toMatch(/\/shared\/notes\/[\w-]+$/);
    await shoot(page, 'note');
    const shared = await fetch(link);
    expect(shared.status).toBe(200);
    expect(await shared.text()).toContain('Tag, build, announce.');
  });

  it('creates an API key that is shown once', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('scripts');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.locator('#new-key').textContent()) ?? '';
    expect(key).toMatch(/^cos_/);
    const me = await fetch(`${app.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    // A second key only reads one knowledge base; the list says so.
    await page.getByLabel('Key name').fill('reader');
    await page.getByLabel('Product handbook').check();
    await page.getByLabel('Read-only: search, chat and /v1 only').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.locator('tr', { hasText: 'reader' }).count()).toBe(1);
    expect(await page.locator('tr', { hasText: 'reader' }).textContent()).toContain('Product handbook · Read-only');
    const reader = (await page.locator('#new-key').textContent()) ?? '';
    expect(reader).not.toBe(key);
    const kbs = await (
      await fetch(`${app.baseUrl}/api/kbs`, { headers: { authorization: `Bearer ${reader}` } })
    ).json();
    const upload = new FormData();
    upload.append('file', new File(['planted'], 'planted.md'));
    const refused = await fetch(`${app.baseUrl}/api/kbs/${kbs.items[0].id}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}` },
      body: upload,
    });
    expect(refused.status).toBe(403);
    await shoot(page, 'api-keys');
  });

  it('shows a failed document to the admin with its error and retries it', async () => {
    await page.getByRole('link', { name: 'Knowledge bases' }).first().click();
    await page.getByRole('link', { name: 'Product handbook' }).click();
    await page.setInputFiles('#f-file', {
      name: 'blank.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('   \n\n  '),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => page.locator('#doc-list tr[data-status="failed"]').textContent(), { timeout: 15_000, interval: 250 })
      .toContain('contains no text');
    await page.setInputFiles('#f-file', { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.locator('#f-file-error').textContent()).toContain('empty.txt');
    await page.goto(`${app.baseUrl}/admin/jobs`);
    await expect.poll(() => page.locator('#failed-jobs').textContent()).toContain('blank.md');
    expect(await page.locator('#job-counts [data-status="failed"] strong').textContent()).toBe('1');
    const attempts = Number(await page.locator('#failed-jobs tbody tr').getAttribute('data-attempts'));
    await page.getByRole('button', { name: 'Retry' }).click();
    // The retry runs the ingest again: it fails the same way, one attempt later.
    await expect
      .poll(
        async () => {
          await page.reload();
          return Number(await page.locator('#failed-jobs tbody tr').getAttribute('data-attempts'));
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBeGreaterThan(attempts);
    await shoot(page, 'admin-jobs-failed');
    // The worker's warning about the failed ingest is among the recent events of all services.
    await page.getByRole('link', { name: 'Warnings and errors' }).click();
    await expect.poll(() => page.locator('#events-table').count()).toBe(1);
    expect(await page.locator('#events-table tbody tr').count()).toBeGreaterThan(0);
  });

  it('shows the administration pages', async () => {
    for (const tab of ['users', 'jobs', 'health', 'events', 'backups']) {
      await page.goto(`${app.baseUrl}/admin/${tab}`);
      await shoot(page, `admin-${tab}`);
    }
    await page.goto(`${app.baseUrl}/admin/backups`);
    await page.getByRole('button', { name: 'Create backup now' }).click();
    await expect.poll(() => page.locator('#backups-table tbody tr').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByRole('status').textContent()).toContain('context-os-backup-');
    await shoot(page, 'admin-backups');
    await page.goto(`${app.baseUrl}/admin/health`);
    await expect.poll(() => page.locator('#health-table').textContent()).toContain('sqlite');
  });

  it('works in Chinese: upload, search and chat, then back to English', async () => {
    await page.goto(`${app.baseUrl}/kbs`);
    await page.getByRole('button', { name: 'Language' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('我的知识库');
    await shoot(page, 'kbs-zh');
    await page.getByRole('link', { name: 'Product handbook' }).click();
    await page.setInputFiles('#f-file', {
      name: '报销指南.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(GUIDE_ZH),
    });
    await page.getByRole('button', { name: '上传' }).click();
    await expect
      .poll(() => page.locator('#doc-list tr[data-status="completed"]').count(), { timeout: 20_000, interval: 250 })
      .toBe(3);
    await shoot(page, 'kb-documents-zh');
    await page.getByRole('link', { name: '检索' }).click();
    await page.getByLabel('查询').fill('差旅费用多久报销');
    await page.getByRole('radio', { name: /^平铺/ }).check();
    await page.getByRole('button', { name: '检索' }).click();
    await expect.poll(() => page.locator('#search-results .hit').count()).toBeGreaterThan(0);
    expect(await page.locator('#search-results .hit .layer-child').first().textContent()).toContain('十个工作日');
    await shoot(page, 'search-zh');
    await page.getByRole('link', { name: '对话' }).click();
    await page.getByRole('button', { name: '新建对话' }).click();
    await page.getByLabel('你的问题').fill('差旅费用多久报销？');
    await page.getByRole('button', { name: '发送' }).click();
    await page.locator('#messages .message-assistant .citation-link').last().waitFor({ timeout: 15_000 });
    expect(await page.locator('#messages .message-assistant').last().textContent()).toContain('十个工作日');
    await shoot(page, 'chat-zh');
    await page.getByRole('button', { name: '语言' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count()).toBe(1);
  });

  it('adds a web page from its URL and sets the OCR language, in English and in Chinese', async () => {
    await page.goto(`${app.baseUrl}/kbs`);
    await page.getByRole('link', { name: 'Product handbook' }).click();
    const port = (intranet?.address() as AddressInfo | undefined)?.port;
    const before = await page.locator('#doc-list tr[data-status]').count();
    const done = await page.locator('#doc-list tr[data-status="completed"]').count();
    await page.getByLabel('Web page address').fill(`http://127.0.0.1:${port}/it/laptops`);
    await page.getByRole('button', { name: 'Add page' }).click();
    await expect
      .poll(() => page.locator('#doc-list tr[data-status="completed"]').count(), { timeout: 20_000, interval: 250 })
      .toBe(done + 1);
    await page.getByRole('link', { name: `127.0.0.1_it_laptops` }).click();
    await expect.poll(() => page.locator('.sections .chunk').first().textContent()).toContain('twelve characters');
    expect(await page.getByRole('link', { name: `http://127.0.0.1:${port}/it/laptops` }).count()).toBe(1);
    await shoot(page, 'document-from-url');

    await page.getByRole('button', { name: /^Language/ }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByRole('link', { name: '文档' }).click();
    await page.getByLabel('网页地址').fill('http://169.254.169.254/latest/meta-data/');
    await page.getByRole('button', { name: '添加网页' }).click();
    await expect.poll(() => page.locator('#f-url-error').textContent()).toContain('无法导入该地址');
    expect(await page.locator('#doc-list tr[data-status]').count()).toBe(before + 1);
    await shoot(page, 'kb-url-refused-zh');
    await page.getByRole('link', { name: '设置' }).click();
    expect(await page.getByLabel('文字语言').inputValue()).toBe('chi_sim+eng');
    await page.getByLabel('文字语言').selectOption({ label: '英语' });
    await page.getByRole('button', { name: '保存语言' }).click();
    await expect.poll(() => page.getByLabel('文字语言').inputValue()).toBe('eng');
    await shoot(page, 'kb-settings-zh');
    await page.getByLabel('文字语言').selectOption({ label: '简体中文 + 英语' });
    await page.getByRole('button', { name: '保存语言' }).click();
    await expect.poll(() => page.getByLabel('文字语言').inputValue()).toBe('chi_sim+eng');
    await page.getByRole('button', { name: /^语言/ }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByLabel('Language of the text').locator('option:checked').textContent()).toBe(
      'Chinese (simplified) + English',
    );
  });

  it('logs out and back in with the keyboard alone', async () => {
    await page.goto(`${app.baseUrl}/kbs`);
    await page.getByRole('button', { name: 'Log out' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/login');
    const focused = () =>
      page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim());
    const visited: Array<string | undefined> = [];
    for (let i = 0; i < 12 && visited.at(-1) !== 'f-email'; i++) {
      await page.keyboard.press('Tab');
      visited.push(await focused());
    }
    expect(visited[0]).toBe('Skip to content');
    expect(visited.at(-1)).toBe('f-email');
    const outline = await page.evaluate(() => {
      const el = document.activeElement;
      return el ? getComputedStyle(el).outlineStyle : 'none';
    });
    expect(outline).not.toBe('none');
    await page.keyboard.type('ada@example.com');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('f-password');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/kbs');
  });

  it('made no request to another host and logged no browser error', () => {
    expect(foreignRequests).toEqual([]);
    expect(problems).toEqual([]);
  });
});
