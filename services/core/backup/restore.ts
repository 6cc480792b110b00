import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { extract } from 'tar';
import { AppError } from '../errors.ts';
import { type BackupConfig, type BackupManifest, DB_FILE, JWT_SECRET_FILE, readManifest } from './manifest.ts';
import { restoreCollections } from './qdrant.ts';
import { checkSqlite } from './sqlite.ts';

/** What a restore brought back. */
export interface RestoreResult {
  manifest: BackupManifest;
  /** Qdrant collections recreated from their snapshots. */
  qdrantRestored: string[];
  /** Snapshots left unrestored because QDRANT_URL is not set. */
  qdrantSkipped: string[];
}

/** Empty, or missing; a file system's own `lost+found` does not count. */
async function isEmptyDir(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return true;
  return (await readdir(dir)).every((name) => name === 'lost+found');
}

async function emptyDir(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [])) {
    if (name !== 'lost+found') await rm(join(dir, name), { recursive: true, force: true });
  }
}

function isInside(dir: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(dir));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
}

/**
 * Restores an archive made by `createBackup` into an EMPTY DATA_DIR (and FILES_DIR when it
 * lives elsewhere); refuses a non-empty one so a running installation is never overwritten.
 * Qdrant collections are recreated from their snapshots when QDRANT_URL is set.
 */
export async function restoreBackup(config: BackupConfig, archivePath: string): Promise<RestoreResult> {
  if (!existsSync(archivePath)) throw new AppError('not_found', `Backup archive not found: ${archivePath}`);
  if (!(await isEmptyDir(config.DATA_DIR))) {
    throw new AppError('conflict', `DATA_DIR ${config.DATA_DIR} is not empty: restore only into an empty directory`);
  }
  const filesOutside = !isInside(config.FILES_DIR, config.DATA_DIR);
  if (filesOutside && !(await isEmptyDir(config.FILES_DIR))) {
    throw new AppError('conflict', `FILES_DIR ${config.FILES_DIR} is not empty: restore only into an empty directory`);
  }
  await mkdir(config.DATA_DIR, { recursive: true });
  const staging = await mkdtemp(join(config.DATA_DIR, '.restore-'));
  let filesCopied = false;
  try {
    await extract({ file: archivePath, cwd: staging, strict: true });
    const manifest = await readManifest(staging);
    const dbCopy = join(staging, manifest.sqlite.file);
    checkSqlite(dbCopy);
    if (existsSync(join(staging, 'files'))) {
      await mkdir(config.FILES_DIR, { recursive: true });
      filesCopied = true;
      await cp(join(staging, 'files'), config.FILES_DIR, { recursive: true, errorOnExist: true, force: false });
    }
    const qdrantRestored: string[] = [];
    const qdrantSkipped: string[] = [];
    if (manifest.qdrant.length > 0 && config.QDRANT_URL) {
      await restoreCollections(
        { url: config.QDRANT_URL, apiKey: config.QDRANT_API_KEY },
        join(staging, 'qdrant'),
        manifest.qdrant,
      );
      qdrantRestored.push(...manifest.qdrant.map((s) => s.collection));
    } else {
      qdrantSkipped.push(...manifest.qdrant.map((s) => s.collection));
    }
    if (manifest.jwtSecret) {
      await rename(join(staging, JWT_SECRET_FILE), join(config.DATA_DIR, JWT_SECRET_FILE));
      await chmod(join(config.DATA_DIR, JWT_SECRET_FILE), 0o600);
    }
    // The database goes last: a half-finished restore leaves no database a service would open.
    await rename(dbCopy, join(config.DATA_DIR, DB_FILE));
    return { manifest, qdrantRestored, qdrantSkipped };
  } catch (err) {
    // FILES_DIR was empty before: leave it empty again so the restore can be retried.
    if (filesCopied) await emptyDir(config.FILES_DIR);
    throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
