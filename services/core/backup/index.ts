/**
 * Backup and restore of a Context OS installation: SQLite (online copy), Qdrant snapshots,
 * uploaded files and a manifest in one `.tar.gz`. Used by `npm run backup`/`npm run restore`
 * and by the admin console.
 */
export { type BackupInfo, createBackup, listBackups, pruneBackups } from './create.ts';
export { type BackupConfig, type BackupManifest, readManifest } from './manifest.ts';
export { type RestoreResult, restoreBackup } from './restore.ts';
