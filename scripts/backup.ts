import { parseArgs } from 'node:util';
import { createBackup, pruneBackups } from '../services/core/backup/index.ts';
import { ConfigError, loadConfig } from '../services/core/config.ts';

/**
 * `npm run backup [-- --keep N]`: writes one timestamped archive to BACKUP_DIR while the
 * services run, then keeps only the newest N archives when `--keep` is given. Prints the
 * archive path on stdout and a summary on stderr; exits non-zero on any failure.
 */
try {
  const { values } = parseArgs({ options: { keep: { type: 'string' } } });
  const keep = values.keep === undefined ? undefined : Number(values.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) {
    throw new Error('--keep must be a whole number of archives, at least 1');
  }
  const config = loadConfig();
  const started = performance.now();
  const backup = await createBackup(config);
  const { sqlite, qdrant, files } = backup.manifest;
  console.log(backup.path);
  console.error(
    `backup: ${(backup.bytes / 1024).toFixed(1)} KiB in ${Math.round(performance.now() - started)} ms; ` +
      `sqlite ${JSON.stringify(sqlite.counts)}, ${qdrant.length} Qdrant collection(s), ${files.count} file(s)`,
  );
  if (keep !== undefined) {
    const removed = await pruneBackups(config, keep);
    if (removed.length) console.error(`removed ${removed.length} older archive(s): ${removed.join(', ')}`);
  }
} catch (err) {
  console.error(
    err instanceof ConfigError ? err.message : `backup failed: ${err instanceof Error ? err.message : err}`,
  );
  process.exit(1);
}
