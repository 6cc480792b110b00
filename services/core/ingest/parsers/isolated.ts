import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IngestError } from '../errors.ts';
import type { FileKind, ParsedDocument, ParseOptions } from './types.ts';

export interface ParseLimits {
  /** Heap of the parsing process, in MB. */
  maxMemoryMb: number;
  timeoutMs: number;
  /** Added to the deadline for each page read by OCR. */
  ocrPageMs: number;
  /** Most characters of text a document may yield. */
  maxTextChars: number;
  /**
   * The parsing process exits after this long without work, giving its memory back (a fresh
   * one starts in about 0.2 s for the next file).
   */
  idleMs: number;
}

/** Fits a 2 GB host running four services: a parse never takes more than a fifth of it. */
export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxMemoryMb: 384,
  timeoutMs: 120_000,
  // A page takes 3-10 s on a busy 2-core host; the margin covers a slow scan.
  ocrPageMs: 60_000,
  maxTextChars: 32_000_000,
  idleMs: 5_000,
};

type Reply =
  | { id: number; ok: true; parsed: ParsedDocument }
  | { id: number; ok: false; permanent: boolean; message: string }
  | { id: number; progress: { done: number; total: number } };

const CHILD = fileURLToPath(new URL('./parse-child.mjs', import.meta.url));

/**
 * Parses files in a separate Node process with its own heap limit and a deadline per file
 * (longer by `ocrPageMs` for each page read by OCR). A file that would exhaust memory or never
 * finish fails as that one document with a readable reason; the service lives on and the next
 * parse gets a fresh process. The process leads its own group, so the OCR tools it runs end
 * with it, and it works in a scratch directory removed with it. One parse at a time.
 */
export class IsolatedParser {
  private child: ChildProcess | undefined;
  private scratch: string | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  /** Parses asked for and not yet finished. */
  private pending = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly limits: ParseLimits = DEFAULT_PARSE_LIMITS) {}

  parse(kind: FileKind, bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParsedDocument> {
    this.pending++;
    const run = this.chain.then(() => this.parseNow(kind, bytes, opts)).finally(() => this.pending--);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Ends the parsing process now unless a parse is under way or waiting (no more files are expected soon). */
  release(): void {
    if (this.pending === 0) this.close();
  }

  /** Whether a parsing process is alive (it is started on demand and ends when idle). */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** Stops the parsing process and the tools it started, if any. */
  close(): void {
    clearTimeout(this.idleTimer);
    const pid = this.child?.pid;
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
    this.child = undefined;
    this.scratch = undefined;
    this.ready = undefined;
  }

  private start(): Promise<ChildProcess> {
    this.ready ??= new Promise((resolve, reject) => {
      const scratch = mkdtempSync(join(tmpdir(), 'cos-parse-'));
      const child = fork(CHILD, [], {
        execArgv: [`--max-old-space-size=${this.limits.maxMemoryMb}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        detached: true,
        env: { ...process.env, TMPDIR: scratch },
      });
      this.child = child;
      this.scratch = scratch;
      child.once('exit', () => {
        if (this.child === child) this.close();
      });
      child.once('error', reject);
      child.once('message', () => resolve(child));
    });
    return this.ready;
  }

  private async parseNow(kind: FileKind, bytes: Uint8Array, opts: ParseOptions): Promise<ParsedDocument> {
    clearTimeout(this.idleTimer);
    const child = await this.start();
    const id = this.nextId++;
    const { limits } = this;
    const { onOcrProgress, ...options } = opts;
    try {
      const reply = await new Promise<Exclude<Reply, { progress: unknown }>>((resolve, reject) => {
        const started = Date.now();
        let ocrPages = 0;
        let timer: NodeJS.Timeout | undefined;
        const arm = () => {
          clearTimeout(timer);
          const budget = limits.timeoutMs + ocrPages * limits.ocrPageMs;
          timer = setTimeout(
            () => {
              this.close();
              const what = ocrPages > 0 ? `Reading ${ocrPages} scanned pages` : 'Parsing';
              reject(
                new IngestError(`${what} took longer than ${Math.round(budget / 1000)} s; the file is too complex`),
              );
            },
            Math.max(0, started + budget - Date.now()),
          );
        };
        const onMessage = (msg: Reply) => {
          if (msg.id !== id) return;
          if ('progress' in msg) {
            if (msg.progress.total !== ocrPages) {
              ocrPages = msg.progress.total;
              arm();
            }
            onOcrProgress?.(msg.progress.done, msg.progress.total);
            return;
          }
          cleanup();
          resolve(msg);
        };
        const onExit = () => {
          cleanup();
          reject(
            new IngestError(`The file expands beyond ${limits.maxMemoryMb} MB while parsing; it is too large to index`),
          );
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        arm();
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ id, kind, bytes, options });
      });
      if (!reply.ok) throw reply.permanent ? new IngestError(reply.message) : new Error(reply.message);
      if (textLength(reply.parsed) > limits.maxTextChars) {
        throw new IngestError(`The document holds more than ${limits.maxTextChars / 1e6} million characters of text`);
      }
      return reply.parsed;
    } finally {
      this.idleTimer = setTimeout(() => this.close(), limits.idleMs);
      this.idleTimer.unref();
    }
  }
}

function textLength(doc: ParsedDocument): number {
  let n = 0;
  for (const b of doc.blocks) n += b.text.length;
  return n;
}
