import { podman } from './exec.ts';

export interface MemoryRow {
  name: string;
  /** Bytes in use, as the cgroup reports it (page cache included). */
  usedBytes: number;
  limitBytes: number;
}

const UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

/** Parses podman's human sizes ("3.809MB", "67.11MB", "512KiB") into bytes. */
export function parseSize(text: string): number {
  const m = /^([\d.]+)\s*([A-Za-z]+)$/.exec(text.trim());
  const factor = m?.[2] ? UNITS[m[2]] : undefined;
  if (!m || factor === undefined) throw new Error(`unreadable size: ${text}`);
  return Number(m[1]) * factor;
}

/** One `podman stats --no-stream` sample of the given containers. */
export async function sampleMemory(ids: string[]): Promise<MemoryRow[]> {
  const res = await podman(['stats', '--no-stream', '--format', 'json', ...ids]);
  const rows = JSON.parse(res.stdout) as Array<{ name: string; mem_usage: string }>;
  return rows
    .map((r) => {
      const [used = '0B', limit = '0B'] = r.mem_usage.split('/');
      return { name: r.name, usedBytes: parseSize(used), limitBytes: parseSize(limit) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

/** A Markdown table of the sample with a total row. */
export function memoryTable(rows: MemoryRow[]): string {
  const lines = ['| container | used MiB | limit MiB |', '|---|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.name} | ${mib(r.usedBytes)} | ${mib(r.limitBytes)} |`);
  const used = rows.reduce((s, r) => s + r.usedBytes, 0);
  const limit = rows.reduce((s, r) => s + r.limitBytes, 0);
  lines.push(`| **total** | ${mib(used)} | ${mib(limit)} |`);
  return lines.join('\n');
}
