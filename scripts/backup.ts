import { createBackup } from '../services/core/backup/index.ts';
import { ConfigError, loadConfig } from '../services/core/config.ts';

/**
 * `npm run backup`: writes one timestamped archive to BACKUP_DIR while the services run.
 * Prints the archive path and what it holds; exits non-zero on any failure.
 */
try {
  const config = loadConfig();
  const started = performance.now();
  const backup = await createBackup(config);
  const { sqlite, qdrant, files } = backup.manifest;
  console.log(backup.path);
  console.error(
    `backup: ${(backup.bytes / 1024).toFixed(1)} KiB in ${Math.round(performance.now() - started)} ms; ` +
      `sqlite ${JSON.stringify(sqlite.counts)}, ${qdrant.length} Qdrant collection(s), ${files.count} file(s)`,
  );
} catch (err) {
  console.error(
    err instanceof ConfigError ? err.message : `backup failed: ${err instanceof Error ? err.message : err}`,
  );
  process.exit(1);
}
