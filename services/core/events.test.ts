import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/index.ts';
import { buildDeps, type Deps } from './deps.ts';
import { createEventSink, EVENTS_KEPT, listEvents, pruneEvents } from './events.ts';
import { createLogger } from './logger.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cos-events-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('service events', () => {
  it('keeps warnings and errors of the deps logger, not info lines', async () => {
    const deps: Deps = await buildDeps(loadConfig({ NODE_ENV: 'test', DATA_DIR: tempDir(), LOG_LEVEL: 'silent' }), {
      service: 'gateway',
    });
    try {
      // The level of the logger decides what is written; raise it to reach the sink.
      deps.logger.level = 'info';
      deps.logger.info('all good');
      deps.logger.child({ requestId: 'req-1' }).warn('disk almost full');
      deps.logger.error({ err: new Error('connection refused') }, 'redis down');
      await expect.poll(() => listEvents(deps.db).length).toBe(2);
      const events = listEvents(deps.db);
      expect(events.map((e) => [e.service, e.level, e.message])).toEqual([
        ['gateway', 'error', 'redis down: connection refused'],
        ['gateway', 'warn', 'disk almost full'],
      ]);
      expect(events[1]?.requestId).toBe('req-1');
    } finally {
      await deps.close();
    }
  });

  it('buffers lines written before the database is attached', () => {
    const sink = createEventSink();
    const logger = createLogger({ level: 'info', service: 'worker', events: sink }, { write: () => {} });
    logger.warn('early warning');
    const db = openDatabase(join(tempDir(), 'db.sqlite'));
    try {
      sink.attach(db);
      expect(listEvents(db).map((e) => e.message)).toEqual(['early warning']);
    } finally {
      db.close();
    }
  });

  it('prunes to the newest rows', () => {
    const db = openDatabase(join(tempDir(), 'db.sqlite'));
    try {
      const sink = createEventSink();
      sink.attach(db);
      const logger = createLogger({ level: 'info', service: 'search', events: sink }, { write: () => {} });
      for (let i = 0; i < 30; i++) logger.warn(`w${i}`);
      sink.flush();
      expect(listEvents(db, 100)).toHaveLength(30);
      pruneEvents(db, 10);
      const kept = listEvents(db, 100).map((e) => e.message);
      expect(kept).toHaveLength(10);
      expect(kept[0]).toBe('w29');
      expect(kept.at(-1)).toBe('w20');
    } finally {
      db.close();
    }
  });

  it('keeps only the newest EVENTS_KEPT rows as events keep coming', () => {
    const db = openDatabase(join(tempDir(), 'db.sqlite'));
    try {
      const sink = createEventSink();
      sink.attach(db);
      const logger = createLogger({ level: 'info', service: 'search', events: sink }, { write: () => {} });
      for (let batch = 0; batch < 6; batch++) {
        for (let i = 0; i < 200; i++) logger.warn(`b${batch}-${i}`);
        sink.flush();
      }
      const kept = listEvents(db, 2000);
      expect(kept).toHaveLength(EVENTS_KEPT);
      expect(kept[0]?.message).toBe('b5-199');
    } finally {
      db.close();
    }
  });
});
