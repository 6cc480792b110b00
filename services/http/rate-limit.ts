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

const shared = new WeakMap<object, Map<string, RateLimiter>>();

/**
 * The one limiter called `name` for a set of deps, so the API and the console of one process
 * (`npm start`) draw on the same budget instead of one each.
 */
export function sharedLimiter(deps: object, name: string, max: number, windowMs: number): RateLimiter {
  let byName = shared.get(deps);
  if (!byName) {
    byName = new Map();
    shared.set(deps, byName);
  }
  let limiter = byName.get(name);
  if (!limiter) {
    limiter = new RateLimiter(max, windowMs);
    byName.set(name, limiter);
  }
  return limiter;
}

/** Adding members looks accounts up by email: a budget per owner keeps that from becoming a directory. */
export const memberLookups = (deps: object) => sharedLimiter(deps, 'member-lookups', 60, 10 * 60_000);
