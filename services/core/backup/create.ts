import { existsSync } from 'node:fs';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  rename,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { create as createTar } from 'tar';
import { AppError } from '../errors.ts';
import {
  ARCHIVE_PATTERN,
  archiveName,
  type BackupConfig,
  type BackupManifest,
  DB_FILE,
  JWT_SECRET_FILE,
  MANIFEST_FILE,
} from './manifest.ts';
import { snapshotCollections } from './qdrant.ts';
import { backupSqlite } from './sqlite.ts';

/** One archive in BACKUP_DIR. */
export interface BackupInfo {
  name: string;
  path: string;
  bytes: number;
  createdAt: string;
}

async function measureFiles(dir: string): Promise<{ count: number; bytes: number }> {
  if (!existsSync(dir)) return { count: 0, bytes: 0 };
  let count = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    count++;
    bytes += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return { count, bytes };
}

/**
 * Writes one timestamped `.tar.gz` into BACKUP_DIR while the services keep running: an online
 * SQLite copy checked with `quick_check`, a snapshot of each Qdrant collection when QDRANT_URL
 * is set, the uploaded files under FILES_DIR and a manifest. The archive appears atomically.
 */
export async function createBackup(
  config: BackupConfig,
  opts: { now?: Date } = {},
): Promise<BackupInfo & { manifest: BackupManifest }> {
  const now = opts.now ?? new Date();
  if (!existsSync(join(config.DATA_DIR, DB_FILE))) {
    throw new AppError('not_found', `No database at ${join(config.DATA_DIR, DB_FILE)}: nothing to back up`);
  }
  await mkdir(config.BACKUP_DIR, { recursive: true });
  const staging = await mkdtemp(join(config.BACKUP_DIR, '.staging-'));
  const filesLink = join(staging, 'files');
  try {
    await mkdir(join(staging, 'sqlite'));
    const sqlite = await backupSqlite(join(config.DATA_DIR, DB_FILE), join(staging, 'sqlite', DB_FILE));
    const entries = [MANIFEST_FILE, 'sqlite'];
    const jwtSecret = existsSync(join(config.DATA_DIR, JWT_SECRET_FILE));
    if (jwtSecret) {
      await copyFile(join(config.DATA_DIR, JWT_SECRET_FILE), join(staging, JWT_SECRET_FILE));
      entries.push(JWT_SECRET_FILE);
    }
    // Qdrant after SQLite: vectors newer than the database copy are harmless orphans, while the
    // reverse order could restore `completed` documents that have no vectors.
    let qdrant: BackupManifest['qdrant'] = [];
    if (config.QDRANT_URL) {
      await mkdir(join(staging, 'qdrant'));
      qdrant = await snapshotCollections(
        { url: config.QDRANT_URL, apiKey: config.QDRANT_API_KEY },
        join(staging, 'qdrant'),
      );
      entries.push('qdrant');
    }
    const files = await measureFiles(config.FILES_DIR);
    if (existsSync(config.FILES_DIR)) {
      await symlink(resolve(config.FILES_DIR), filesLink, 'dir');
      entries.push('files');
    }
    const manifest: BackupManifest = {
      format: 1,
      app: 'context-os',
      createdAt: now.toISOString(),
      sqlite: { file: `sqlite/${DB_FILE}`, ...sqlite },
      jwtSecret,
      qdrant,
      files,
    };
    await writeFile(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const name = archiveName(now);
    const path = join(config.BACKUP_DIR, name);
    const partial = `${path}.partial`;
    await createTar({ gzip: true, file: partial, cwd: staging, follow: true, portable: true }, entries);
    await chmod(partial, 0o600);
    await rename(partial, path);
    return { name, path, bytes: (await stat(path)).size, createdAt: manifest.createdAt, manifest };
  } finally {
    await unlink(filesLink).catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
  }
}

/** Deletes all but the newest `keep` archives in BACKUP_DIR; returns the names removed. */
export async function pruneBackups(config: Pick<BackupConfig, 'BACKUP_DIR'>, keep: number): Promise<string[]> {
  const old = (await listBackups(config)).slice(Math.max(0, keep));
  for (const backup of old) await rm(backup.path, { force: true });
  return old.map((b) => b.name);
}

/** The archives in BACKUP_DIR, newest first. */
export async function listBackups(config: Pick<BackupConfig, 'BACKUP_DIR'>): Promise<BackupInfo[]> {
  if (!existsSync(config.BACKUP_DIR)) return [];
  const names = (await readdir(config.BACKUP_DIR)).filter((n) => ARCHIVE_PATTERN.test(n));
  const infos = await Promise.all(
    names.map(async (name) => {
      const path = join(config.BACKUP_DIR, name);
      const st = await stat(path);
      return { name, path, bytes: st.size, createdAt: st.mtime.toISOString() };
    }),
  );
  return infos.sort((a, b) => b.name.localeCompare(a.name));
}
