import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
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
