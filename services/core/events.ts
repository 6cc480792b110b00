import { Writable } from 'node:stream';
import { desc } from 'drizzle-orm';
import { type Db, tables } from './db/index.ts';

const { serviceEvents } = tables;

/** How many events the table keeps; older ones are pruned as new ones arrive. */
export const EVENTS_KEPT = 1000;
const PRUNE_EVERY = 50;
const MAX_MESSAGE = 2000;
const MAX_PENDING = 200;
const FLUSH_MS = 200;

const LEVELS: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

export type ServiceEvent = typeof serviceEvents.$inferSelect;

/** A pino destination that keeps warn+ lines in `service_events`; attached to a Db once it is open. */
export interface EventSink extends Writable {
  attach(db: Db): void;
  /** Writes what is buffered now (it is otherwise written within FLUSH_MS). */
  flush(): void;
  detach(): void;
}

function toRow(line: string): typeof serviceEvents.$inferInsert | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  const level = LEVELS[Number(entry.level)];
  if (!level) return undefined;
  const err = entry.err as { message?: unknown } | undefined;
  const parts = [entry.msg, err?.message].filter((p): p is string => typeof p === 'string' && p !== '');
  return {
    service: typeof entry.service === 'string' ? entry.service : 'unknown',
    level,
    message: (parts.join(': ') || 'log entry').slice(0, MAX_MESSAGE),
    requestId: typeof entry.requestId === 'string' ? entry.requestId : null,
  };
}

/**
 * Builds the sink. Lines wait in a small bounded buffer and are written in one short
 * transaction every FLUSH_MS, so a burst of warnings costs one write and logging never waits
 * on the database. Writing never throws or logs: a failing write drops its events rather
 * than looping back into the logger.
 */
export function createEventSink(): EventSink {
  let db: Db | undefined;
  let pending: string[] = [];
  let written = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const target = db;
    if (!target?.sqlite.open || pending.length === 0) return;
    const rows = pending.map(toRow).filter((r) => r !== undefined);
    pending = [];
    if (rows.length === 0) return;
    try {
      target.sqlite.transaction(() => {
        target.orm.insert(serviceEvents).values(rows).run();
        const before = written;
        written += rows.length;
        if (Math.floor(written / PRUNE_EVERY) > Math.floor(before / PRUNE_EVERY)) pruneEvents(target);
      })();
    } catch {
      // The database is busy or closing: these events are dropped.
    }
  };
  const schedule = () => {
    if (db && !timer && pending.length > 0) timer = setTimeout(flush, FLUSH_MS).unref();
  };

  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) {
        if (line && pending.length < MAX_PENDING) pending.push(line);
      }
      schedule();
      cb();
    },
  });
  return Object.assign(sink, {
    attach(target: Db) {
      db = target;
      flush();
    },
    detach() {
      if (timer) clearTimeout(timer);
      flush();
      db = undefined;
    },
    flush,
  });
}

/** Keeps the newest EVENTS_KEPT rows. */
export function pruneEvents(db: Db, keep = EVENTS_KEPT): void {
  db.sqlite.prepare('DELETE FROM service_events WHERE id <= (SELECT max(id) FROM service_events) - ?').run(keep);
}

/** The newest events first. */
export function listEvents(db: Db, limit = 200): ServiceEvent[] {
  return db.orm.select().from(serviceEvents).orderBy(desc(serviceEvents.id)).limit(limit).all();
}
