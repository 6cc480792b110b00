import { Hono } from 'hono';
import { type FailedDocument, listFailedDocuments } from '../../../core/admin/failed-documents.ts';
import type { Deps } from '../../../core/deps.ts';
import { requeueDocument } from '../../../core/documents/reprocess.ts';
import type { JobState } from '../../../core/queue/index.ts';
import { documentStatusCounts } from '../../../core/stats.ts';
import type { AdminContext, AdminEnv } from '../../env.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { AdminHeader } from '../../views/admin-nav.tsx';
import { ActionButton } from '../../views/form.tsx';
import { formatTime } from '../../views/kb-nav.tsx';
import { page, redirectTo } from '../../views/render.tsx';
import { StatusBadge } from '../../views/status.tsx';

const jobStates: JobState[] = ['waiting', 'active', 'completed', 'failed', 'delayed'];
const queueLabels: Record<JobState, MessageKey> = {
  waiting: 'queueWaiting',
  active: 'queueActive',
  completed: 'queueCompleted',
  failed: 'queueFailed',
  delayed: 'queueDelayed',
};

function FailedTable({ c, docs }: { c: AdminContext; docs: FailedDocument[] }) {
  const t = c.get('t');
  if (docs.length === 0) return <p class="empty">{t.jobsNoFailed}</p>;
  return (
    <div class="table-wrap">
      <table id="failed-jobs">
        <thead>
          <tr>
            <th scope="col">{t.docFile}</th>
            <th scope="col">{t.docError}</th>
            <th scope="col">{t.eventTime}</th>
            <th scope="col">{t.docActions}</th>
          </tr>
        </thead>
        <tbody>
          {docs.map((d) => (
            <tr data-attempts={String(d.attempts)}>
              <td class="wrap">{d.fileName}</td>
              <td class="wrap">{d.error ?? ''}</td>
              <td class="nowrap">{formatTime(d.updatedAt, c.get('locale'))}</td>
              <td>
                <ActionButton action={`/admin/jobs/${d.id}/retry`} label={t.jobRetry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Ingest jobs: documents per status, the queue's own counts, failed documents with a retry button. */
export function adminJobPages(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/', async (c) => {
      const t = c.get('t');
      const queueCounts = await deps.queue.counts();
      return page(
        c,
        t.adminJobs,
        <>
          <AdminHeader t={t} tab="jobs" />
          <section class="stack">
            <h2>{t.jobCounts}</h2>
            <ul class="stat-grid" id="job-counts">
              {Object.entries(documentStatusCounts(deps.db)).map(([status, n]) => (
                <li class="card stat" data-status={status}>
                  <StatusBadge t={t} status={status} />
                  <strong>{n}</strong>
                </li>
              ))}
            </ul>
            <p class="muted">
              {t.jobQueue} ({deps.queue.kind}):{' '}
              {jobStates.map((state) => `${t[queueLabels[state]]} ${queueCounts[state]}`).join(' · ')}
            </p>
            <h2>{t.jobsFailed}</h2>
            <FailedTable c={c} docs={listFailedDocuments(deps.db)} />
          </section>
        </>,
      );
    })
    .post('/:documentId/retry', async (c) => {
      const id = c.req.param('documentId');
      await requeueDocument(deps, id);
      c.get('logger').info({ documentId: id }, 'ingest retried by admin');
      return redirectTo(c, '/admin/jobs');
    });
}
