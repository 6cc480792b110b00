import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../errors.ts';
import type { FileStorage } from './index.ts';

const MAX_SEGMENT = 120;

/**
 * One safe path segment: no separators, no control characters, no leading dots,
 * never `.` or `..`. Unicode letters (Chinese file names) are kept.
 */
export function sanitizeSegment(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '_')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .trim();
  const cut = cleaned.length > MAX_SEGMENT ? cleaned.slice(cleaned.length - MAX_SEGMENT) : cleaned;
  return cut === '' ? 'file' : cut;
}

/** A storage key made of sanitised segments joined with `/`; `.` and `..` are dropped. */
export function toKey(name: string): string {
  const segments = name.split(/[/\\]+/).filter((s) => s !== '' && s !== '.' && s !== '..');
  return segments.length === 0 ? 'file' : segments.map(sanitizeSegment).join('/');
}

/**
 * Files in a directory (in production a mounted bucket). Writes go to a temp file in the
 * same directory, are fsynced and renamed into place, so a reader never sees half a file.
 */
export function createLocalStorage(root: string): FileStorage {
  const base = resolve(root);

  const pathOf = (key: string) => {
    const full = resolve(base, key);
    const rel = relative(base, full);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new AppError('bad_request', 'Invalid storage key');
    }
    return full;
  };

  return {
    async put(name, data) {
      const key = toKey(name);
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(tmp, 'wx', 0o640);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(tmp, target);
      } catch (err) {
        await unlink(tmp).catch(() => undefined);
        throw err;
      }
      await syncDir(dirname(target));
      return { key, sha256: createHash('sha256').update(data).digest('hex'), size: data.byteLength };
    },
    async get(key) {
      return readFile(pathOf(key));
    },
    async delete(key) {
      const target = pathOf(key);
      await rm(target, { force: true });
      await removeEmptyParents(dirname(target), base);
    },
    async exists(key) {
      try {
        await access(pathOf(key), constants.F_OK);
        return true;
      } catch {
        return false;
      }
    },
    async health() {
      try {
        await mkdir(base, { recursive: true });
        await access(base, constants.W_OK);
        return { ok: true, detail: 'writable' };
      } catch (err) {
        return { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some mounted filesystems refuse fsync on directories; the rename is still atomic.
  }
}

async function removeEmptyParents(dir: string, base: string): Promise<void> {
  let current = dir;
  while (current !== base && current.startsWith(base)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}
