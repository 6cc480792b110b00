import { count } from 'drizzle-orm';
import { type Db, tables } from './db/index.ts';
import type { DocumentStatus } from './db/schema.ts';

/** Documents per ingest status across the installation, for metrics and the admin console. */
export function documentStatusCounts(db: Db): Record<DocumentStatus, number> {
  const counts: Record<DocumentStatus, number> = { queued: 0, processing: 0, completed: 0, failed: 0 };
  const rows = db.orm
    .select({ status: tables.documents.status, n: count() })
    .from(tables.documents)
    .groupBy(tables.documents.status)
    .all();
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}
