import { restoreBackup } from '../services/core/backup/index.ts';
import { ConfigError, loadConfig } from '../services/core/config.ts';

/**
 * `npm run restore -- <archive>`: restores an archive into an EMPTY DATA_DIR (refuses a
 * non-empty one). Start the services afterwards.
 */
const archive = process.argv[2];
if (!archive) {
  console.error('usage: npm run restore -- <archive.tar.gz>   (DATA_DIR must be empty)');
  process.exit(2);
}
try {
  const config = loadConfig();
  const result = await restoreBackup(config, archive);
  console.error(`restored ${archive} (made ${result.manifest.createdAt}) into ${config.DATA_DIR}`);
  console.error(`sqlite ${JSON.stringify(result.manifest.sqlite.counts)}, ${result.manifest.files.count} file(s)`);
  if (result.qdrantRestored.length) console.error(`Qdrant collections restored: ${result.qdrantRestored.join(', ')}`);
  if (result.qdrantSkipped.length) {
    console.error(`QDRANT_URL is not set: Qdrant snapshots left unrestored: ${result.qdrantSkipped.join(', ')}`);
  }
} catch (err) {
  console.error(
    err instanceof ConfigError ? err.message : `restore failed: ${err instanceof Error ? err.message : err}`,
  );
  process.exit(1);
}
