import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { IngestError } from '../errors.ts';
import type { FileKind, ParsedDocument } from './types.ts';

export interface ParseLimits {
  /** Heap of the parsing process, in MB. */
  maxMemoryMb: number;
  timeoutMs: number;
  /** Most characters of text a document may yield. */
  maxTextChars: number;
  /** The parsing process exits after this long without work, giving its memory back. */
  idleMs: number;
}

/** Fits a 2 GB host running four services: a parse never takes more than a fifth of it. */
export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxMemoryMb: 384,
  timeoutMs: 120_000,
  maxTextChars: 32_000_000,
  idleMs: 60_000,
};

type Reply =
  | { id: number; ok: true; parsed: ParsedDocument }
  | { id: number; ok: false; permanent: boolean; message: string };

const CHILD = fileURLToPath(new URL('./parse-child.mjs', import.meta.url));

/**
 * Parses files in a separate Node process with its own heap limit and a deadline per file.
 * A file that would exhaust memory or never finish fails as that one document with a readable
 * reason; the service lives on and the next parse gets a fresh process. One parse at a time.
 */
export class IsolatedParser {
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly limits: ParseLimits = DEFAULT_PARSE_LIMITS) {}

  parse(kind: FileKind, bytes: Uint8Array): Promise<ParsedDocument> {
    const run = this.chain.then(() => this.parseNow(kind, bytes));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stops the parsing process, if any. */
  close(): void {
    clearTimeout(this.idleTimer);
    this.child?.kill('SIGKILL');
    this.child = undefined;
    this.ready = undefined;
  }

  private start(): Promise<ChildProcess> {
    this.ready ??= new Promise((resolve, reject) => {
      const child = fork(CHILD, [], {
        execArgv: [`--max-old-space-size=${this.limits.maxMemoryMb}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
      this.child = child;
      child.once('exit', () => {
        if (this.child === child) this.close();
      });
      child.once('error', reject);
      child.once('message', () => resolve(child));
    });
    return this.ready;
  }

  private async parseNow(kind: FileKind, bytes: Uint8Array): Promise<ParsedDocument> {
    clearTimeout(this.idleTimer);
    const child = await this.start();
    const id = this.nextId++;
    const { limits } = this;
    try {
      const reply = await new Promise<Reply>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.close();
          reject(new IngestError(`Parsing took longer than ${limits.timeoutMs / 1000} s; the file is too complex`));
        }, limits.timeoutMs);
        const onMessage = (msg: Reply) => {
          if (msg.id !== id) return;
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
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ id, kind, bytes });
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
