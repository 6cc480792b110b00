import { describe, expect, it } from 'vitest';
import { memoryTable, parseSize } from './memory.ts';

describe('podman size parsing', () => {
  it('reads decimal and binary units', () => {
    expect(parseSize('3.809MB')).toBeCloseTo(3_809_000);
    expect(parseSize('512KiB')).toBe(524_288);
    expect(parseSize('0B')).toBe(0);
    expect(() => parseSize('lots')).toThrow(/unreadable/);
  });

  it('totals the table', () => {
    const table = memoryTable([
      { name: 'a', usedBytes: 1024 ** 2, limitBytes: 2 * 1024 ** 2 },
      { name: 'b', usedBytes: 3 * 1024 ** 2, limitBytes: 4 * 1024 ** 2 },
    ]);
    expect(table).toContain('| **total** | 4.0 | 6.0 |');
  });
});
