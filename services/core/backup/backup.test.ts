import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as createTar } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { authenticate, registerUser } from '../auth/users.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { createKb, listKbs } from '../kbs/index.ts';
import { createBackup, listBackups, pruneBackups, restoreBackup } from './index.ts';

let deps: TestDeps;
let scratch: string;

beforeEach(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'cos-backup-'));
  deps = await createTestDeps({ BACKUP_DIR: join(scratch, 'backups') });
});

afterEach(async () => {
  await deps.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const restoreConfig = (dataDir: string) => loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });

describe('backup and restore', () => {
  it('archives a live database and files, then restores them into an empty directory', async () => {
    const user = await registerUser(deps.db, { email: 'ann@example.com', password: 'correct horse battery' }, 'open');
    createKb(deps.db, { userId: user.id }, { title: 'Handbook' });
    mkdirSync(join(deps.config.FILES_DIR, 'ab'), { recursive: true });
    writeFileSync(join(deps.config.FILES_DIR, 'ab', 'doc.txt'), 'hello files');

    const backup = await createBackup(deps.config);
    await registerUser(deps.db, { email: 'late@example.com', password: 'correct horse battery' }, 'open');

    expect(backup.manifest.sqlite.counts).toMatchObject({ users: 1, knowledge_bases: 1 });
    expect(backup.manifest.files).toEqual({ count: 1, bytes: 11 });
    expect((await listBackups(deps.config)).map((b) => b.name)).toEqual([backup.name]);
    expect(readdirSync(deps.config.BACKUP_DIR)).toEqual([backup.name]);

    const target = join(scratch, 'restored');
    const result = await restoreBackup(restoreConfig(target), backup.path);
    expect(result.manifest.createdAt).toBe(backup.createdAt);

    const db = openDatabase(join(target, 'context-os.db'));
    try {
      const again = await authenticate(db, 'ann@example.com', 'correct horse battery');
      expect(listKbs(db, { userId: again.id }).map((k) => k.title)).toEqual(['Handbook']);
      await expect(authenticate(db, 'late@example.com', 'correct horse battery')).rejects.toThrow();
    } finally {
      db.close();
    }
    expect(readFileSync(join(target, 'files', 'ab', 'doc.txt'), 'utf8')).toBe('hello files');
    expect(readFileSync(join(target, 'jwt-secret'), 'utf8')).toBe(deps.jwtSecret);
  });

  it('refuses to restore into a DATA_DIR that is not empty', async () => {
    const backup = await createBackup(deps.config);
    const target = join(scratch, 'busy');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'mine');

    await expect(restoreBackup(restoreConfig(target), backup.path)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(readdirSync(target)).toEqual(['keep.txt']);
  });

  it('says there is nothing to back up when DATA_DIR holds no database', async () => {
    const empty = loadConfig({ NODE_ENV: 'test', DATA_DIR: join(scratch, 'nothing'), BACKUP_DIR: join(scratch, 'b2') });
    await expect(createBackup(empty)).rejects.toMatchObject({ code: 'not_found' });
    expect(existsSync(join(scratch, 'b2'))).toBe(false);
  });

  it('rejects an archive that is not a Context OS backup and leaves the directory empty', async () => {
    const junk = join(scratch, 'junk');
    mkdirSync(junk);
    writeFileSync(join(junk, 'notes.txt'), 'not a backup');
    const archive = join(scratch, 'junk.tar.gz');
    await createTar({ gzip: true, file: archive, cwd: junk }, ['notes.txt']);
    const target = join(scratch, 'fresh');

    await expect(restoreBackup(restoreConfig(target), archive)).rejects.toMatchObject({ code: 'bad_request' });
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('restoreBackup on a tampered archive', () => {
  it('refuses a manifest that points outside the archive', async () => {
    const dir = join(scratch, 'tampered');
    mkdirSync(dir);
    const manifest = {
      format: 1,
      app: 'context-os',
      createdAt: new Date().toISOString(),
      sqlite: { file: '../../outside.db', bytes: 1, quickCheck: 'ok', counts: {} },
      jwtSecret: false,
      qdrant: [],
      files: { count: 0, bytes: 0 },
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const archive = join(scratch, 'tampered.tar.gz');
    await createTar({ gzip: true, file: archive, cwd: dir }, ['manifest.json']);

    await expect(restoreBackup(restoreConfig(join(scratch, 'fresh')), archive)).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});

describe('pruneBackups', () => {
  it('keeps only the newest archives', async () => {
    const first = await createBackup(deps.config, { now: new Date('2026-01-01T00:00:00Z') });
    const second = await createBackup(deps.config, { now: new Date('2026-01-02T00:00:00Z') });
    const third = await createBackup(deps.config, { now: new Date('2026-01-03T00:00:00Z') });

    expect(await pruneBackups(deps.config, 2)).toEqual([first.name]);
    expect((await listBackups(deps.config)).map((b) => b.name)).toEqual([third.name, second.name]);
  });
});
