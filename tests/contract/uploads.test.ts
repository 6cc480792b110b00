import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/gateway/app.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';
import { createWorld, expectErrorShape, type World } from './world.ts';
import { docxBomb } from './zip-bomb.ts';

// DATA_DIR sits a few levels inside a directory of its own, so an escape would land where the walk looks.
const outer = mkdtempSync(join(tmpdir(), 'cos-contract-upload-'));
const dataDir = join(outer, 'a', 'b', 'c', 'data');
let world: World;
beforeAll(async () => {
  mkdirSync(dataDir, { recursive: true });
  world = await createWorld({ MAX_UPLOAD_MB: '1', DATA_DIR: dataDir });
});
afterAll(async () => {
  await world.close();
  rmSync(outer, { recursive: true, force: true });
});

const MB = 1024 * 1024;
const upload = (name: string, bytes: Uint8Array | string, kbId = world.alice.kbId) =>
  world.api.call('POST', `/api/kbs/${kbId}/documents`, { token: world.alice.token, body: fileForm(name, bytes) });

const allFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => resolve(e.parentPath, e.name));

const documentCount = () =>
  (world.deps.db.sqlite.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;

describe('uploads', () => {
  it('refuses a file over MAX_UPLOAD_MB with 413 and stores nothing', async () => {
    const as = { token: world.alice.token };
    const docsBefore = documentCount();
    for (const size of [MB + 1, MB + 40 * 1024, 3 * MB]) {
      const res = await upload('big.txt', 'a'.repeat(size));
      expect(res.status, `${size} bytes`).toBe(413);
      expectErrorShape(res);
      expect(res.json.error.code).toBe('payload_too_large');
    }
    const fits = await upload('fits.txt', 'a '.repeat(MB / 2 - 16));
    expect(fits.status).toBe(202);
    expect((await world.api.call('DELETE', `/api/documents/${fits.json.document.id}`, as)).status).toBe(204);
    expect(documentCount()).toBe(docsBefore);
    expect(allFiles(world.deps.config.FILES_DIR).filter((f) => f.endsWith('big.txt'))).toEqual([]);
  });

  it('refuses an oversized body sent without a Content-Length with 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 3 * MB) controller.close();
        else {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await createApp(world.deps).request(`http://localhost/api/kbs/${world.alice.kbId}/documents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${world.alice.token}`,
        'content-type': 'multipart/form-data; boundary=----x',
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('refuses an empty file with 400', async () => {
    const res = await upload('empty.txt', '');
    expect(res.status).toBe(400);
    expectErrorShape(res);
  });

  it.each([
    ['a PNG named .txt', 'photo.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['a PNG named .pdf', 'report.pdf', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['text named .pdf', 'fake.pdf', 'just some words, not a PDF'],
    ['a plain zip named .docx', 'fake.docx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0])],
    ['an ELF binary named .md', 'tool.md', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0])],
    ['an executable name', 'setup.exe', 'MZ this is not text we index'],
    ['a binary with no extension', 'blob', new Uint8Array([0, 1, 2, 3, 0, 0, 0, 255])],
  ])('refuses %s with 415', async (_label, name, bytes) => {
    const res = await upload(name, bytes);
    expect(res.status, res.text).toBe(415);
    expectErrorShape(res);
    expect(res.json.error.code).toBe('unsupported_type');
  });

  it('keeps every hostile file name inside FILES_DIR and shows a sane display name', async () => {
    const { deps } = world;
    const names = [
      '../../escape.txt',
      '../../../../../../tmp/escape-abs.txt',
      '/etc/passwd.txt',
      '..\\..\\windows-escape.txt',
      'C:\\Windows\\System32\\drivers.txt',
      '\\\\server\\share\\unc.txt',
      'nul\u0000byte.txt',
      'new\nline\r.txt',
      `${'x'.repeat(5000)}.txt`,
      '..',
      '.',
      '....txt',
      '.hidden.txt',
      '%2e%2e%2fencoded.txt',
      '报告/../../章节.md',
      'con.txt',
    ];
    const shown: string[] = [];
    for (const name of names) {
      const res = await upload(name, `Contents of ${JSON.stringify(name.slice(0, 40))}.`);
      expect([202, 415], `${JSON.stringify(name.slice(0, 60))}: ${res.text}`).toContain(res.status);
      if (res.status !== 202) continue;
      const display: string = res.json.document.fileName;
      shown.push(display);
      expect(display.length, display).toBeGreaterThan(0);
      expect(display.length, display).toBeLessThanOrEqual(255);
      expect(display, JSON.stringify(display)).not.toMatch(/[/\\]/);
      expect(display, JSON.stringify(display)).not.toMatch(/\p{Cc}/u);
      expect(['.', '..']).not.toContain(display);
    }
    expect(shown.length).toBeGreaterThanOrEqual(names.length - 3);

    const filesDir = resolve(deps.config.FILES_DIR);
    const allowed = /^(context-os\.db(-wal|-shm|-journal)?|[^/]*\.db(-wal|-shm|-journal)?|jwt-secret)$/;
    const strays = allFiles(outer).filter((f) => {
      const rel = relative(filesDir, f);
      const insideFiles = !rel.startsWith('..') && !rel.startsWith('/');
      return !insideFiles && !allowed.test(relative(dataDir, f));
    });
    expect(strays).toEqual([]);
    for (const f of allFiles(filesDir)) {
      const rel = relative(filesDir, f).split('/');
      expect([world.alice.userId, world.bob.userId], f).toContain(rel[0]);
      for (const segment of rel) {
        expect(segment.length).toBeLessThanOrEqual(255);
        expect(segment).not.toMatch(/\p{Cc}/u);
      }
    }
  });

  // A DOCX of about 350 KB whose document.xml inflates to 120 MB: parsed in a child process
  // with its own heap limit, it fails as one document and the service carries on.
  it('fails a DOCX zip bomb as a document instead of exhausting the worker', async () => {
    const bomb = docxBomb(120);
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    const up = await upload('bomb.docx', bomb);
    if (up.status !== 202) {
      expect([400, 413, 415]).toContain(up.status);
      return;
    }
    // Inflating 120 MB in the child takes seconds; many more on a loaded 2-core machine.
    const doc = await waitForDocument(world.api, world.alice.token, up.json.document.id, 90_000);
    expect(doc.status).toBe('failed');
    expect(process.memoryUsage().rss).toBeLessThan(600 * 1024 * 1024);
  }, 120_000);
});
