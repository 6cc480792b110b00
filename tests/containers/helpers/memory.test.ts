import { describe, expect, it } from 'vitest';
import { memoryTable, parseSize } from './memory.ts';
import { parseStat } from './memory-breakdown.ts';

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

describe('memory.stat parsing', () => {
  it('reads cgroup v1 and v2 names alike', () => {
    const v1 = parseStat('cache 4096\nrss 8192\nrss_huge 0\nmapped_file 1024\ntotal_rss 99999\n');
    expect(v1).toEqual({ anon: 8192, file: 4096, mapped: 1024 });
    const v2 = parseStat('anon 8192\nfile 4096\nkernel 512\nfile_mapped 1024\nanon_thp 0\n');
    expect(v2).toEqual({ anon: 8192, file: 4096, mapped: 1024 });
  });
});
