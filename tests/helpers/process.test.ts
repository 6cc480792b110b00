import { describe, expect, it } from 'vitest';
import { spawnChild } from './process.ts';

const node = (script: string) => spawnChild(process.execPath, ['-e', script]);

async function ready(child: ReturnType<typeof spawnChild>) {
  for (let i = 0; i < 200 && !child.output().includes('ready'); i++) await new Promise((r) => setTimeout(r, 25));
  expect(child.output()).toContain('ready');
}

describe('the process harness', () => {
  it('ends a child that ignores SIGTERM with SIGKILL once the grace period is over', async () => {
    const stubborn = node(
      "process.on('SIGTERM', () => console.log('ignored')); setInterval(() => {}, 1000); console.log('ready')",
    );
    await ready(stubborn);
    const started = Date.now();
    const stopped = await stubborn.stop({ graceMs: 300 });
    expect(stopped.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stubborn.output()).toContain('ignored');
  });

  it('reports the exit code of a child that stops on SIGTERM, without waiting for the grace period', async () => {
    const polite = node(
      "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000); console.log('ready')",
    );
    await ready(polite);
    const stopped = await polite.stop({ graceMs: 10_000 });
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.ms).toBeLessThan(5000);
    expect(await polite.stop()).toMatchObject({ code: 0 });
  });
});
