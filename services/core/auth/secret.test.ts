import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveJwtSecret } from './secret.ts';

describe('resolveJwtSecret', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('generates a secret once and keeps it in DATA_DIR, readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-secret-'));
    dirs.push(dir);
    const first = resolveJwtSecret({ DATA_DIR: dir, JWT_SECRET: undefined });
    const second = resolveJwtSecret({ DATA_DIR: dir, JWT_SECRET: undefined });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(first);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o077).toBe(0);
  });

  it('prefers JWT_SECRET when it is set', () => {
    expect(resolveJwtSecret({ DATA_DIR: '/nonexistent', JWT_SECRET: 's'.repeat(40) })).toBe('s'.repeat(40));
  });
});
