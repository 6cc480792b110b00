import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../bench/search-engine.ts', import.meta.url));
const POINTS = 5000;
const DIM = 256;

interface EngineResult {
  engine: string;
  p50: number;
  p95: number;
  recall: number;
  diskMiB: number;
}

describe('the bench engines of npm run bench:search', () => {
  let root: string;
  /** One engine's process, in a directory of its own below the exact answers; its JSON line. */
  const run = (engine: string, env: Record<string, string> = {}): EngineResult => {
    const dir = engine === 'truth' ? root : join(root, `${engine}-${Object.values(env).join('-')}`);
    mkdirSync(dir, { recursive: true });
    const out = execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, engine, String(POINTS), String(DIM), dir], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_QUERIES: '40', ...env },
    });
    return JSON.parse(out.trim().split('\n').pop() || '{}') as EngineResult;
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cos-bench-engines-'));
    run('truth');
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the exact top 10 through our exact scan', () => {
    const exact = run('exact');
    expect(exact.recall).toBe(1);
    expect(exact.p50).toBeGreaterThan(0);
  });

  it('recovers the top 10 from bit codes by rescoring their 100 nearest from the float vectors', () => {
    const rescored = run('sqlite-vec-bit', { BENCH_BIT_OVERSAMPLE: '100' });
    const few = run('sqlite-vec-bit', { BENCH_BIT_OVERSAMPLE: '10' });
    expect(rescored.engine).toBe('sqlite-vec-bit');
    expect(rescored.recall).toBeGreaterThanOrEqual(0.95);
    expect(few.recall).toBeLessThan(rescored.recall);
    expect(rescored.diskMiB).toBeGreaterThan(POINTS * DIM * 4 * 2 ** -20);
  });
});
