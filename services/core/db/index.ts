import { closeSync, mkdirSync, openSync } from 'node:fs';
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
  /**
   * The prepared statement for this SQL, compiled once and kept (the most recent
   * `STATEMENT_CACHE` of them): for the statements every search runs, whose compiling took
   * about 0.9 ms of a hybrid search at 100k passages.
   */
  statement(sql: string): Database.Statement;
  close(): void;
}

/** How many compiled statements a database keeps; SQL with a varying number of placeholders makes several. */
const STATEMENT_CACHE = 256;

/** The statement for a SQL text, compiled on first use; `clear` forgets them all (after a table is dropped). */
export type StatementCache = ((sql: string) => Database.Statement) & { clear(): void };

/** Compiles each SQL once and keeps the `size` most recently used statements. */
export function statementCache(sqlite: Sqlite, size = STATEMENT_CACHE): StatementCache {
  const statements = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let stmt = statements.get(sql);
    if (stmt) {
      // Most recently used last, so the oldest is the first one dropped.
      statements.delete(sql);
    } else {
      stmt = sqlite.prepare(sql);
      if (statements.size >= size) statements.delete(statements.keys().next().value as string);
    }
    statements.set(sql, stmt);
    return stmt;
  };
  return Object.assign(statement, { clear: () => statements.clear() });
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Opens (creating if needed) the SQLite file in WAL mode and applies pending migrations.
 * Several processes may share the file: writes are short and wait on a busy timeout.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Password hashes and document text live here: readable by the service's user only.
    // SQLite gives the -wal and -shm files the same mode.
    closeSync(openSync(path, 'a', 0o600));
  }
  const sqlite = new Database(path);
  sqliteVec.load(sqlite);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Vector scans read whole partitions: memory-mapped reads skip a copy through the page cache.
  // 256 MB bounds the file pages a process maps on a 2 GB host.
  sqlite.pragma('mmap_size = 268435456');
  sqlite.pragma('foreign_keys = ON');
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: MIGRATIONS_DIR });
  return {
    orm,
    sqlite,
    path,
    statement: statementCache(sqlite),
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** Runs `fn` inside one immediate write transaction. */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.sqlite.transaction(fn).immediate();
}
