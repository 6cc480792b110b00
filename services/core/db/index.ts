import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as sqliteVec from 'sqlite-vec';
import * as schema from './schema.ts';

export * as tables from './schema.ts';
export type Orm = BetterSQLite3Database<typeof schema>;
export type Sqlite = Database.Database;

/** One open SQLite database: the drizzle handle for queries, the raw handle for FTS and vectors. */
export interface Db {
  orm: Orm;
  sqlite: Sqlite;
  path: string;
  close(): void;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Opens (creating if needed) the SQLite file in WAL mode and applies pending migrations.
 * Several processes may share the file: writes are short and wait on a busy timeout.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqliteVec.load(sqlite);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Vector scans read whole partitions: memory-mapped reads skip a copy through the page cache.
  sqlite.pragma('mmap_size = 1073741824');
  sqlite.pragma('foreign_keys = ON');
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: MIGRATIONS_DIR });
  return {
    orm,
    sqlite,
    path,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** Runs `fn` inside one immediate write transaction. */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.sqlite.transaction(fn).immediate();
}
