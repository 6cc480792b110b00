import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('createLimiter', () => {
  it('runs at most N at once, in arrival order', async () => {
    const limiter = createLimiter(2);
    const started: number[] = [];
    const gates: Array<() => void> = [];
    const jobs = [0, 1, 2, 3].map((i) =>
      limiter.run(async () => {
        started.push(i);
        await new Promise<void>((r) => gates.push(r));
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.waiting).toBe(2);
    gates[1]?.();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const open of [gates[0], gates[2]]) open?.();
    await tick();
    gates[3]?.();
    await Promise.all(jobs);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(limiter.active).toBe(0);
  });

  it('frees the slot when a job throws, and a double release frees only one slot', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.active).toBe(0);
    const release = await limiter.acquire();
    release();
    release();
    expect(limiter.active).toBe(0);
    await limiter.acquire();
    expect(limiter.active).toBe(1);
  });
});
