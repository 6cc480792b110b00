/**
 * Makes an upgrade fixture: runs this checkout's `npm start` server on a fresh DATA_DIR, uses
 * it over HTTP as a person would (accounts, keys, KBs, uploads, notes, a share link, chat),
 * stops it and leaves the data directory behind. Run it at a landed version and commit the
 * result under tests/fixtures/upgrade/<version>/ so later versions prove they open it:
 *
 *   npx tsx tests/upgrade/make-fixture.ts tests/fixtures/upgrade/<version>
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FIXTURE_FACTS, type FixtureFacts } from './facts.ts';

const out = resolve(process.argv[2] ?? '');
if (!process.argv[2]) throw new Error('usage: make-fixture.ts <output directory>');
rmSync(out, { recursive: true, force: true });
const dataDir = join(out, 'data');
mkdirSync(dataDir, { recursive: true });

const port = 20_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${port}`;
const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'services/main.ts'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  stdio: 'inherit',
});

async function call(method: string, path: string, opts: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  // biome-ignore lint/suspicious/noExplicitAny: a script reading the API's JSON
  return (text ? JSON.parse(text) : undefined) as any;
}

async function waitUp() {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function upload(token: string, kbId: string, fileName: string, content: string | Uint8Array<ArrayBuffer>) {
  const form = new FormData();
  form.append('file', new Blob([content]), fileName);
  return (await call('POST', `/api/kbs/${kbId}/documents`, { token, body: form })).document.id as string;
}

async function settle(token: string, docId: string) {
  for (let i = 0; i < 600; i++) {
    const { document } = await call('GET', `/api/documents/${docId}`, { token });
    if (document.status === 'completed' || document.status === 'failed') return document;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`document ${docId} did not settle`);
}

const recall = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/recall/${name}`, import.meta.url)));

try {
  await waitUp();
  const f: FixtureFacts = FIXTURE_FACTS;
  const admin = await call('POST', '/api/auth/register', {
    body: { email: f.admin.email, password: f.admin.password },
  });
  const user = await call('POST', '/api/auth/register', { body: { email: f.user.email, password: f.user.password } });
  const key = await call('POST', '/api/api-keys', { token: user.token, body: { name: f.apiKeyName } });
  const kb = (await call('POST', '/api/kbs', { token: user.token, body: { title: f.kbTitle, description: 'kept' } }))
    .kb;
  const adminKb = (await call('POST', '/api/kbs', { token: admin.token, body: { title: f.adminKbTitle } })).kb;
  for (const name of f.documents) await settle(user.token, await upload(user.token, kb.id, name, recall(name)));
  await settle(user.token, await upload(user.token, kb.id, 'broken.pdf', '%PDF-1.4 this is not a pdf'));
  await settle(admin.token, await upload(admin.token, adminKb.id, f.documents[0] ?? '', recall(f.documents[0] ?? '')));
  const note = (await call('POST', `/api/kbs/${kb.id}/notes`, { token: user.token, body: f.note })).note;
  const share = await call('POST', `/api/notes/${note.id}/share`, { token: user.token });
  const session = (
    await call('POST', '/api/chat/sessions', { token: user.token, body: { kbId: kb.id, title: 'kept' } })
  ).session;
  await call('POST', `/api/chat/sessions/${session.id}/messages`, { token: user.token, body: { content: f.question } });
  const logout = await call('POST', '/api/auth/login', { body: { email: f.user.email, password: f.user.password } });
  await call('POST', '/api/auth/logout', { token: logout.token });
  writeFileSync(
    join(out, 'made.json'),
    `${JSON.stringify({ kbId: kb.id, adminKbId: adminKb.id, noteId: note.id, shareUrl: share.shareUrl, sessionId: session.id, apiKey: key.key, revokedToken: logout.token }, null, 2)}\n`,
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
}
if (!existsSync(join(dataDir, 'context-os.db'))) throw new Error('no database was written');
console.log(`fixture written to ${out}`);
