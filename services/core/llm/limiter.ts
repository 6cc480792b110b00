/** Caps how many calls run at once; the rest wait in arrival order. */
export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Takes a slot until the returned release is called (for streams that outlive a promise). */
  acquire(): Promise<() => void>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(max: number): Limiter {
  let active = 0;
  const queue: Array<() => void> = [];

  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active -= 1;
  };

  const acquire = (): Promise<() => void> => {
    let released = false;
    const once = () => {
      if (released) return;
      released = true;
      release();
    };
    if (active < max) {
      active += 1;
      return Promise.resolve(once);
    }
    // The slot passes straight from the releasing caller to the next waiter.
    return new Promise((resolve) => queue.push(() => resolve(once)));
  };

  return {
    acquire,
    async run(fn) {
      const done = await acquire();
      try {
        return await fn();
      } finally {
        done();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
