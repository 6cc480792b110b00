import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Config, loadConfig } from '../../services/core/config.ts';
import { buildDeps, type Deps } from '../../services/core/deps.ts';
import { createLogger } from '../../services/core/logger.ts';

export interface TestDeps extends Deps {
  /** Every log line written so far, raw JSON. */
  logLines: string[];
  dataDir: string;
  /** Closes deps and removes the temp directory. */
  cleanup(): Promise<void>;
}

/** Deps over a fresh temp DATA_DIR with a real SQLite file; logs captured in memory. */
export async function createTestDeps(env: Record<string, string> = {}): Promise<TestDeps> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'cos-test-'));
  const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug', ...env, DATA_DIR: dataDir });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'test' }, sink);
  const deps = await buildDeps(config, { logger });
  return Object.assign(deps, {
    logLines,
    dataDir,
    async cleanup() {
      await deps.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** Counts the embedder's calls from now on, passages and queries alike. */
export function countEmbeddings(deps: Deps): { calls: number } {
  const counter = { calls: 0 };
  const inner = deps.embedder;
  deps.embedder = {
    model: inner.model,
    dimension: inner.dimension,
    embed: (texts) => {
      counter.calls++;
      return inner.embed(texts);
    },
    ...(inner.embedQuery && {
      embedQuery: (text: string) => {
        counter.calls++;
        return inner.embedQuery?.(text) ?? Promise.reject(new Error('no embedQuery'));
      },
    }),
  };
  return counter;
}
