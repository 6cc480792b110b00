import { Hono } from 'hono';
import type { Deps } from '../../../core/deps.ts';
import type { FailedJob } from '../../../core/queue/index.ts';
import { documentStatusCounts } from '../../../core/stats.ts';
import type { AdminContext, AdminEnv } from '../../env.ts';
import { AdminHeader } from '../../views/admin-nav.tsx';
import { ActionButton } from '../../views/form.tsx';
import { formatTime } from '../../views/kb-nav.tsx';
import { page } from '../../views/render.tsx';
import { StatusBadge } from '../../views/status.tsx';

function FailedTable({ c, jobs }: { c: AdminContext; jobs: FailedJob[] }) {
  const t = c.get('t');
  if (jobs.length === 0) return <p class="empty">{t.jobsNoFailed}</p>;
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
          {jobs.map((j) => (
            <tr>
              <td>
                <a href={`/documents/${j.documentId}`}>{j.documentId.slice(0, 8)}</a>
              </td>
              <td class="wrap">{j.error}</td>
              <td class="nowrap">{formatTime(j.failedAt, c.get('locale'))}</td>
              <td>
                <ActionButton action={`/admin/jobs/${j.documentId}/retry`} label={t.jobRetry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Ingest jobs: documents per status, queue counts, failed jobs with a retry button. */
export function adminJobPages(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/', async (c) => {
      const t = c.get('t');
      const docs = documentStatusCounts(deps.db);
      const queue = deps.queue;
      const [queueCounts, failed] = await Promise.all([queue.counts(), queue.failedJobs(50)]);
      return page(
        c,
        t.adminJobs,
        <>
          <AdminHeader t={t} tab="jobs" />
          <section class="stack">
            <h2>{t.jobCounts}</h2>
            <ul class="stat-grid" id="job-counts">
              {Object.entries(docs).map(([status, n]) => (
                <li class="card stat">
                  <StatusBadge t={t} status={status} />
                  <strong>{n}</strong>
                </li>
              ))}
            </ul>
            {queueCounts && (
              <p class="muted">
                {queue.kind}:{' '}
                {Object.entries(queueCounts)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(' · ')}
              </p>
            )}
            <h2>{t.jobsFailed}</h2>
            <FailedTable c={c} jobs={failed} />
          </section>
        </>,
      );
    })
    .post('/:documentId/retry', async (c) => {
      await deps.queue.retry(c.req.param('documentId'));
      if (c.req.header('hx-request') === 'true') {
        c.header('HX-Redirect', '/admin/jobs');
        return c.body(null, 204);
      }
      return c.redirect('/admin/jobs', 303);
    });
}
