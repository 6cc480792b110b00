import { Writable } from 'node:stream';
import { desc } from 'drizzle-orm';
import { type Db, tables } from './db/index.ts';

const { serviceEvents } = tables;

/** How many events the table keeps; older ones are pruned as new ones arrive. */
export const EVENTS_KEPT = 1000;
const PRUNE_EVERY = 50;
const MAX_MESSAGE = 2000;
const MAX_PENDING = 200;

const LEVELS: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

export type ServiceEvent = typeof serviceEvents.$inferSelect;

/** A pino destination that keeps warn+ lines in `service_events`; attached to a Db once it is open. */
export interface EventSink extends Writable {
  attach(db: Db): void;
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
 * Builds the sink. Lines written before `attach` wait in a small buffer. Writing never
 * throws or logs: a failing insert is dropped rather than looping back into the logger.
 */
export function createEventSink(): EventSink {
  let db: Db | undefined;
  let pending: string[] = [];
  let written = 0;
  const store = (line: string) => {
    if (!db?.sqlite.open) return;
    const row = toRow(line);
    if (!row) return;
    try {
      db.orm.insert(serviceEvents).values(row).run();
      if (++written % PRUNE_EVERY === 0) pruneEvents(db);
    } catch {
      // The database is busy or closing: this event is dropped.
    }
  };
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        if (db) store(line);
        else if (pending.length < MAX_PENDING) pending.push(line);
      }
      cb();
    },
  });
  return Object.assign(sink, {
    attach(target: Db) {
      db = target;
      for (const line of pending) store(line);
      pending = [];
    },
    detach() {
      db = undefined;
    },
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
