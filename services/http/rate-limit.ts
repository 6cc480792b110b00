import { AppError } from '../core/errors.ts';

interface Window {
  count: number;
  resetAt: number;
}

/** Fixed-window counters in memory; old windows are swept as new keys arrive. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one hit for `key`; throws 429 with Retry-After once over the limit. */
  hit(key: string, now = Date.now()): void {
    if (this.windows.size > 10_000) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count > this.max) {
      const retryAfter = Math.ceil((w.resetAt - now) / 1000);
      throw new AppError('rate_limited', `Too many attempts; try again in ${retryAfter} s`, 429, { retryAfter });
    }
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}
