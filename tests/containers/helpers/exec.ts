import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../../..');

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs a command to completion without a shell and captures its output. A non-zero exit
 * rejects with the command and the tail of its output unless `allowFailure` is set.
 */
export function exec(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; allowFailure?: boolean; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs).unref() : undefined;
    child.on('error', fail);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const result = { code, stdout, stderr, ms: Date.now() - started };
      if (code === 0 || opts.allowFailure) done(result);
      else {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
        fail(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail}`));
      }
    });
  });
}

/** `podman <args>` through the CLI, with the run's CONTAINERS_CONF from the environment. */
export const podman = (args: string[], opts: Parameters<typeof exec>[2] = {}) => exec('podman', args, opts);
