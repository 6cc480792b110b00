import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './index.ts';

describe('compiled statements', () => {
  const db = openDatabase(':memory:');
  afterAll(() => db.close());

  it('compiles a statement once and gives it back for the same SQL', () => {
    const first = db.statement('SELECT 1 AS one');
    expect(db.statement('SELECT 1 AS one')).toBe(first);
    expect(first.get()).toEqual({ one: 1 });
    expect(db.statement('SELECT 2 AS two')).not.toBe(first);
  });

  it('keeps the most recently used 256 and compiles a dropped one anew', () => {
    const kept = db.statement('SELECT 0 AS n');
    const oldest = db.statement('SELECT -1 AS n');
    for (let i = 1; i <= 255; i++) {
      db.statement(`SELECT ${i} AS n`);
      // Used all along: never the oldest.
      db.statement('SELECT 0 AS n');
    }
    expect(db.statement('SELECT 0 AS n')).toBe(kept);
    const again = db.statement('SELECT -1 AS n');
    expect(again).not.toBe(oldest);
    expect(again.get()).toEqual({ n: -1 });
  });
});
