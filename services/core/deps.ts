import { join } from 'node:path';
import { resolveJwtSecret } from './auth/secret.ts';
import type { Config } from './config.ts';
import { type Db, openDatabase } from './db/index.ts';
import { buildLlm } from './llm/build.ts';
import type { ChatClient } from './llm/index.ts';
import { createLogger, type Logger } from './logger.ts';

/** One dependency as /readyz reports it. */
export interface ReadinessCheck {
  name: string;
  /** A required dependency that is down makes /readyz answer 503. */
  required: boolean;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

/** Everything a service needs, built once at start and handed to `createApp`. */
export interface Deps {
  config: Config;
  logger: Logger;
  db: Db;
  jwtSecret: string;
  readiness: ReadinessCheck[];
  /** Chat models through ONEAPI; undefined when ONEAPI_BASE_URL is unset (answers are then extractive). */
  chat?: ChatClient;
  /** Closes what was opened, in reverse order. */
  close(): Promise<void>;
}

export interface BuildOptions {
  service?: string;
  logger?: Logger;
}

/** Opens the database and every port the configuration asks for. */
export async function buildDeps(config: Config, opts: BuildOptions = {}): Promise<Deps> {
  const logger = opts.logger ?? createLogger({ level: config.LOG_LEVEL, service: opts.service });
  const db = openDatabase(join(config.DATA_DIR, 'context-os.db'));
  const closers: Array<() => Promise<void> | void> = [() => db.close()];
  const readiness: ReadinessCheck[] = [
    {
      name: 'sqlite',
      required: true,
      async check() {
        db.sqlite.prepare('select 1').get();
        return { ok: true, detail: db.sqlite.pragma('journal_mode', { simple: true }) as string };
      },
    },
  ];
  const llm = buildLlm(config, logger);
  if (llm.readiness) readiness.push(llm.readiness);
  return {
    config,
    logger,
    db,
    jwtSecret: resolveJwtSecret(config),
    readiness,
    chat: llm.chat,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
