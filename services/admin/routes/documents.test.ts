import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { addMember } from '../../core/access/members.ts';
import { registerUser } from '../../core/auth/users.ts';
import { createDocument } from '../../core/documents/create.ts';
import { markFailed, setProgress, startProcessing } from '../../core/ingest/progress.ts';
import { createKb } from '../../core/kbs/index.ts';
import { issueToken } from '../../http/auth.ts';
import { createApp } from '../app.tsx';

let deps: TestDeps;
let cookie: string;
let kbId: string;
let userId: string;

beforeEach(async () => {
  deps = await createTestDeps();
  const user = await registerUser(deps.db, { email: 'ada@example.com', password: 'correct horse battery' }, 'open');
  userId = user.id;
  cookie = `cos_session=${await issueToken(deps.jwtSecret, user, 0)}`;
  kbId = createKb(deps.db, { userId: user.id }, { title: 'Handbook' }).id;
});
afterEach(() => deps.cleanup());

const listFragment = async () => {
  const res = await createApp(deps).request(`http://console.test/kbs/${kbId}/documents`, {
    headers: { cookie, 'hx-request': 'true' },
  });
  expect(res.status).toBe(200);
  return res.text();
};

describe('document list', () => {
  it('polls every second with a progress bar while processing, and stops once the document is done', async () => {
    const doc = await createDocument(deps, { userId }, kbId, {
      fileName: 'a.md',
      bytes: new TextEncoder().encode('# A\n\nText.'),
    });
    expect(await listFragment()).toContain('hx-trigger="every 1s"');

    startProcessing(deps.db, doc.id);
    setProgress(deps.db, doc.id, 'embedding', 60);
    const processing = await listFragment();
    expect(processing).toContain('hx-trigger="every 1s"');
    expect(processing).toMatch(/<progress max="100" value="60"/);
    expect(processing).toContain('60% · embedding');

    markFailed(deps.db, doc.id, 'The file contains no text to index');
    const failed = await listFragment();
    expect(failed).not.toContain('hx-trigger');
    expect(failed).not.toContain('<progress');
    expect(failed).toContain('data-polling="false"');
    expect(failed).toContain('The file contains no text to index');
  });

  it("answers another user's document page with 404", async () => {
    const doc = await createDocument(deps, { userId }, kbId, {
      fileName: 'a.md',
      bytes: new TextEncoder().encode('# A'),
    });
    const other = await registerUser(deps.db, { email: 'eve@example.com', password: 'correct horse battery' }, 'open');
    const res = await createApp(deps).request(`http://console.test/documents/${doc.id}`, {
      headers: { cookie: `cos_session=${await issueToken(deps.jwtSecret, other, 0)}` },
    });
    expect(res.status).toBe(404);
  });
});

describe('document metadata in the console', () => {
  const post = (id: string, rows: Array<[string, string, string]>, headers: Record<string, string> = {}) => {
    const form = new URLSearchParams();
    for (const [name, kind, value] of rows) {
      form.append('name', name);
      form.append('kind', kind);
      form.append('value', value);
    }
    return createApp(deps).request(`http://console.test/documents/${id}/metadata`, {
      method: 'POST',
      body: form,
      headers: {
        cookie,
        origin: 'http://console.test',
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
    });
  };
  const upload = () =>
    createDocument(deps, { userId }, kbId, {
      fileName: 'policy.md',
      bytes: new TextEncoder().encode('# Policy'),
      metadata: { year: 2024, owner: 'HR' },
    });

  it('shows the metadata as rows and saves an edit with kinds, removing cleared names', async () => {
    const doc = await upload();
    const pageHtml = await (
      await createApp(deps).request(`http://console.test/documents/${doc.id}`, { headers: { cookie } })
    ).text();
    expect(pageHtml).toContain(`action="/documents/${doc.id}/metadata"`);
    expect(pageHtml).toMatch(/value="owner"/);
    expect(pageHtml).toMatch(/<option value="number" selected="">/);

    const res = await post(
      doc.id,
      [
        ['year', 'number', '2025'],
        ['owner', 'text', ''],
        ['', 'text', 'ignored'],
        ['tags', 'list', 'travel, 出差'],
        ['effective', 'date', '2025-03-01'],
      ],
      { 'hx-request': 'true' },
    );
    expect(res.status).toBe(200);
    const fragmentHtml = await res.text();
    expect(fragmentHtml).toContain('id="doc-metadata"');
    expect(fragmentHtml).toContain('value="travel, 出差"');
    const stored = deps.db.sqlite.prepare('SELECT metadata FROM documents WHERE id = ?').get(doc.id) as {
      metadata: string;
    };
    expect(JSON.parse(stored.metadata)).toEqual({
      year: 2025,
      owner: '',
      tags: ['travel', '出差'],
      effective: '2025-03-01',
    });
  });

  it('refuses a bad number, a bad date and a name given twice, keeping what was typed', async () => {
    const doc = await upload();
    for (const [rows, message] of [
      [[['year', 'number', 'soon']], /year: is not a number/],
      [[['effective', 'date', 'next week']], /effective: is not a date/],
      [
        [
          ['year', 'number', '1'],
          ['year', 'number', '2'],
        ],
        /year: is given twice/,
      ],
    ] as const) {
      const res = await post(doc.id, rows as unknown as Array<[string, string, string]>);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toMatch(message);
      expect(html).toContain('<html');
    }
    const stored = deps.db.sqlite.prepare('SELECT metadata FROM documents WHERE id = ?').get(doc.id) as {
      metadata: string;
    };
    expect(JSON.parse(stored.metadata)).toEqual({ year: 2024, owner: 'HR' });
  });

  it('shows a viewer the metadata without a form, and refuses their post', async () => {
    const doc = await upload();
    const viewer = await registerUser(deps.db, { email: 'vi@example.com', password: 'correct horse battery' }, 'open');
    addMember(deps.db, { userId }, kbId, { email: 'vi@example.com', role: 'viewer' });
    const viewerCookie = `cos_session=${await issueToken(deps.jwtSecret, viewer, 0)}`;
    const html = await (
      await createApp(deps).request(`http://console.test/documents/${doc.id}`, { headers: { cookie: viewerCookie } })
    ).text();
    expect(html).toContain('<dt>owner</dt>');
    expect(html).not.toContain('/metadata"');
    const res = await post(doc.id, [['year', 'number', '1']], { cookie: viewerCookie });
    expect(res.status).toBe(403);
  });
});
