import { readFile } from 'node:fs/promises';
import { podman } from './exec.ts';

/** One process of a container, from /proc on the host. */
export interface ProcessMemory {
  pid: number;
  command: string;
  /** Resident anonymous memory (heap, stacks, malloc arenas), bytes. */
  anonBytes: number;
  /** Resident file pages (the node binary, native addons, mapped database pages), bytes. */
  fileBytes: number;
}

/** What a container's memory cgroup is made of. */
export interface CgroupBreakdown {
  name: string;
  /** Anonymous memory charged to the cgroup. */
  anonBytes: number;
  /** Page cache charged to the cgroup: files its processes were first to read or write. */
  fileBytes: number;
  /** The part of `fileBytes` mapped into a process (binaries, libraries, mmap of the database). */
  mappedFileBytes: number;
  processes: ProcessMemory[];
}

/** memory.stat keys of cgroup v1 and v2, each under one name. */
const STAT_KEYS: Record<string, 'anon' | 'file' | 'mapped'> = {
  rss: 'anon',
  anon: 'anon',
  cache: 'file',
  file: 'file',
  mapped_file: 'mapped',
  file_mapped: 'mapped',
};

/** The anonymous, page-cache and mapped-file byte counts of a memory.stat file. */
export function parseStat(text: string): Record<'anon' | 'file' | 'mapped', number> {
  const out = { anon: 0, file: 0, mapped: 0 };
  for (const line of text.split('\n')) {
    const [key = '', value = '0'] = line.split(' ');
    const name = STAT_KEYS[key];
    if (name) out[name] = Number(value);
  }
  return out;
}

const kib = (status: string, field: string) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;

/** A process's resident memory from /proc (Linux); undefined when it has ended or there is no /proc. */
export async function processMemory(pid: number): Promise<ProcessMemory | undefined> {
  try {
    const [status, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    const command = cmdline.split('\0').filter(Boolean).slice(0, 2).join(' ').slice(0, 60);
    return { pid, command, anonBytes: kib(status, 'RssAnon'), fileBytes: kib(status, 'RssFile') };
  } catch {
    return undefined; // Ended meanwhile.
  }
}

/** Reads the container's cgroup where the host exposes it (cgroup v1 or v2 hierarchy). */
async function readCgroup(path: string): Promise<{ stat: string; procs: string } | undefined> {
  for (const root of ['/sys/fs/cgroup/memory', '/sys/fs/cgroup']) {
    try {
      const [stat, procs] = await Promise.all([
        readFile(`${root}${path}/memory.stat`, 'utf8'),
        readFile(`${root}${path}/cgroup.procs`, 'utf8'),
      ]);
      return { stat, procs };
    } catch {
      // Not this hierarchy.
    }
  }
  return undefined;
}

/**
 * Anonymous memory, page cache and per-process resident memory of each container, read from
 * the host's cgroup and /proc files; containers whose cgroup the host does not expose (a remote
 * or rootless engine) are left out.
 */
export async function memoryBreakdown(ids: string[]): Promise<CgroupBreakdown[]> {
  const res = await podman(['inspect', '--format', '{{.Name}} {{.State.CgroupPath}}', ...ids]);
  const rows: CgroupBreakdown[] = [];
  for (const line of res.stdout.split('\n').filter(Boolean)) {
    const [name = '', path = ''] = line.split(' ');
    const cgroup = path ? await readCgroup(path) : undefined;
    if (!cgroup) continue;
    const stat = parseStat(cgroup.stat);
    const pids = cgroup.procs.split('\n').filter(Boolean).map(Number);
    const processes = (await Promise.all(pids.map(processMemory))).filter((p): p is ProcessMemory => !!p);
    rows.push({ name, anonBytes: stat.anon, fileBytes: stat.file, mappedFileBytes: stat.mapped, processes });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

/** A Markdown table: the cgroup's anonymous memory and page cache, and each process's share. */
export function breakdownTable(rows: CgroupBreakdown[]): string {
  const lines = [
    '| container | anon MiB | page cache MiB | of it mapped | processes: resident anon + file MiB |',
    '|---|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const procs = r.processes
      .filter((p) => p.anonBytes + p.fileBytes > 0)
      .map((p) => `${p.command} ${mib(p.anonBytes)} + ${mib(p.fileBytes)}`)
      .join('; ');
    lines.push(`| ${r.name} | ${mib(r.anonBytes)} | ${mib(r.fileBytes)} | ${mib(r.mappedFileBytes)} | ${procs} |`);
  }
  return lines.join('\n');
}
