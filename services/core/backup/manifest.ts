import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

/** The part of the configuration a backup or restore reads. */
export type BackupConfig = Pick<Config, 'DATA_DIR' | 'FILES_DIR' | 'BACKUP_DIR' | 'QDRANT_URL' | 'QDRANT_API_KEY'>;

/** Name of the SQLite file inside DATA_DIR (see `buildDeps`). */
export const DB_FILE = 'context-os.db';
/** Name of the generated JWT secret inside DATA_DIR (see `resolveJwtSecret`). */
export const JWT_SECRET_FILE = 'jwt-secret';
export const MANIFEST_FILE = 'manifest.json';
export const ARCHIVE_PATTERN = /^context-os-backup-[0-9TZ-]+\.tar\.gz$/;

const manifestSchema = z.object({
  format: z.literal(1),
  app: z.literal('context-os'),
  createdAt: z.string(),
  sqlite: z.object({
    file: z.literal(`sqlite/${DB_FILE}`),
    bytes: z.number(),
    quickCheck: z.literal('ok'),
    counts: z.record(z.string(), z.number()),
  }),
  jwtSecret: z.boolean(),
  qdrant: z.array(z.object({ collection: z.string().min(1), file: z.string().regex(/^[\w.-]+\.snapshot$/) })),
  files: z.object({ count: z.number(), bytes: z.number() }),
});

/** What an archive holds, written as `manifest.json` at its root. */
export type BackupManifest = z.infer<typeof manifestSchema>;

/** Reads and validates the manifest of an extracted archive. */
export async function readManifest(dir: string): Promise<BackupManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    throw new AppError('bad_request', 'Not a Context OS backup: manifest.json is missing or unreadable');
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('bad_request', `Not a Context OS backup: ${parsed.error.issues[0]?.message ?? 'bad manifest'}`);
  }
  return parsed.data;
}

/** `context-os-backup-2026-01-02T03-04-05-678Z.tar.gz` for a given instant. */
export function archiveName(now: Date): string {
  return `context-os-backup-${now.toISOString().replace(/[:.]/g, '-')}.tar.gz`;
}
