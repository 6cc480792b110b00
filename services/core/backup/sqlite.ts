import Database from 'better-sqlite3';
import { AppError } from '../errors.ts';

/** What a checked SQLite copy holds. */
export interface SqliteCopyInfo {
  bytes: number;
  quickCheck: 'ok';
  /** Row counts of the main tables, for the manifest and for a quick sanity check after restore. */
  counts: Record<string, number>;
}

const COUNTED_TABLES = ['users', 'knowledge_bases', 'documents', 'chunks', 'notes'];

/**
 * Copies a live SQLite database with the online backup API (readers and writers keep going),
 * then checks the copy and turns it into a single self-contained file (no WAL).
 */
export async function backupSqlite(sourcePath: string, destPath: string): Promise<SqliteCopyInfo> {
  const source = new Database(sourcePath, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(destPath);
  } finally {
    source.close();
  }
  return checkSqlite(destPath);
}

/** Runs `PRAGMA quick_check` on a copy and counts its rows; throws when the copy is damaged. */
export function checkSqlite(path: string): SqliteCopyInfo {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    const result = rows.map((r) => r.quick_check).join('; ');
    if (result !== 'ok') {
      throw new AppError('internal_error', `SQLite copy failed quick_check: ${result}`);
    }
    const present = new Set(
      (db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map(
        (r) => r.name,
      ),
    );
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      if (!present.has(table)) continue;
      const row = db.prepare(`select count(*) as n from "${table}"`).get() as { n: number };
      counts[table] = row.n;
    }
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return { bytes: pageCount * pageSize, quickCheck: 'ok', counts };
  } finally {
    db.close();
  }
}
