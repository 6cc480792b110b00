import { spawn } from 'node:child_process';
import { IngestError } from '../errors.ts';

/** Most bytes a tool may print before it is stopped: a page of text is a few kB. */
const MAX_OUTPUT = 64 * 1024 * 1024;

const INSTALL_HINT: Record<string, string> = {
  tesseract: 'tesseract-ocr',
  pdftoppm: 'poppler-utils',
};

/**
 * Runs a command-line tool with `input` on stdin and returns its stdout. A missing tool is an
 * IngestError naming the package to install; a failing one an Error carrying its stderr.
 */
export function runTool(command: string, args: string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Tesseract's own OpenMP threads made one page take minutes on a busy 2-core host.
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > MAX_OUTPUT) child.kill('SIGKILL');
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 4000) err += b.toString('utf8');
    });
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') {
        const pkg = INSTALL_HINT[command] ?? command;
        reject(new IngestError(`Reading this file needs ${command}, which is not installed on the server (${pkg})`));
      } else reject(e);
    });
    child.once('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new ToolError(command, code, signal, err.trim()));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** A tool that ran and failed; `stderr` holds what it said. */
export class ToolError extends Error {
  constructor(
    readonly command: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderr: string,
  ) {
    super(`${command} failed (${signal ?? `exit ${code}`}): ${stderr.split('\n').slice(-3).join(' ')}`);
    this.name = 'ToolError';
  }
}
