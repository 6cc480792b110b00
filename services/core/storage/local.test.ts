import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalStorage, sanitizeSegment } from './local.ts';

const dirs: string[] = [];
const tempRoot = () => {
  const parent = mkdtempSync(join(tmpdir(), 'cos-storage-'));
  dirs.push(parent);
  return { parent, root: join(parent, 'files') };
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('local file storage', () => {
  it('writes a file with its sha256 and reads it back', async () => {
    const { root } = tempRoot();
    const storage = createLocalStorage(root);
    const put = await storage.put('u1/d1/notes.md', Buffer.from('hello'));
    expect(put).toEqual({
      key: 'u1/d1/notes.md',
      sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      size: 5,
    });
    expect((await storage.get(put.key)).toString()).toBe('hello');
    expect(await storage.exists(put.key)).toBe(true);
    expect(readdirSync(join(root, 'u1/d1'))).toEqual(['notes.md']);
  });

  it('never writes outside its root, whatever the name', async () => {
    const { parent, root } = tempRoot();
    const storage = createLocalStorage(root);
    const names = ['../../evil.txt', '/etc/passwd', '..\\..\\win.txt', 'a/../../b.txt', '..', '\u0000x'];
    for (const [i, name] of names.entries()) {
      const { key } = await storage.put(`case${i}/${name}`, Buffer.from('x'));
      expect(key.split('/').every((s) => s !== '..' && s !== '.' && s !== '')).toBe(true);
    }
    expect(readdirSync(parent)).toEqual(['files']);
    await expect(storage.get('../outside')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('keeps Chinese names and strips dangerous characters', () => {
    expect(sanitizeSegment('季度报告.pdf')).toBe('季度报告.pdf');
    expect(sanitizeSegment('..hidden')).toBe('hidden');
    expect(sanitizeSegment('a<b>:c|d?.txt')).toBe('a_b__c_d_.txt');
    expect(sanitizeSegment('...')).toBe('file');
  });

  it('deletes a file and its empty folders, and deleting twice is harmless', async () => {
    const { root } = tempRoot();
    const storage = createLocalStorage(root);
    const { key } = await storage.put('u1/d1/a.txt', Buffer.from('a'));
    await storage.put('u1/d2/b.txt', Buffer.from('b'));
    await storage.delete(key);
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    expect(readdirSync(join(root, 'u1'))).toEqual(['d2']);
    expect(readFileSync(join(root, 'u1/d2/b.txt'), 'utf8')).toBe('b');
  });

  it('leaves no temp file behind and replaces an existing file whole', async () => {
    const { root } = tempRoot();
    const storage = createLocalStorage(root);
    await storage.put('k/x.txt', Buffer.from('first version'));
    await storage.put('k/x.txt', Buffer.from('second'));
    expect(readdirSync(join(root, 'k'))).toEqual(['x.txt']);
    expect((await storage.get('k/x.txt')).toString()).toBe('second');
    expect(await storage.health()).toMatchObject({ ok: true });
  });
});
