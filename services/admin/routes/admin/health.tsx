import { Hono } from 'hono';
import type { Deps } from '../../../core/deps.ts';
import { listEvents } from '../../../core/events.ts';
import { probe } from '../../../http/health.ts';
import type { AdminEnv } from '../../env.ts';
import { AdminHeader } from '../../views/admin-nav.tsx';
import { formatTime } from '../../views/kb-nav.tsx';
import { page } from '../../views/render.tsx';

/** Dependency health (every readiness check, live) and the recent warnings and errors of all services. */
export function adminHealthPages(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/health', async (c) => {
      const t = c.get('t');
      const results = await Promise.all(deps.readiness.map(probe));
      return page(
        c,
        t.adminHealth,
        <>
          <AdminHeader t={t} tab="health" />
          <div class="table-wrap">
            <table id="health-table">
              <thead>
                <tr>
                  <th scope="col">{t.dependency}</th>
                  <th scope="col">{t.state}</th>
                  <th scope="col">{t.required}</th>
                  <th scope="col">{t.detail}</th>
                  <th scope="col">ms</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r) => (
                  <tr>
                    <th scope="row">{r.name}</th>
                    <td>
                      <span class={r.ok ? 'badge badge-completed' : 'badge badge-failed'}>
                        {r.ok ? t.healthOk : t.healthDown}
                      </span>
                    </td>
                    <td>{r.required ? t.yes : t.no}</td>
                    <td>{r.detail ?? ''}</td>
                    <td>{r.ms}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>,
      );
    })
    .get('/events', (c) => {
      const t = c.get('t');
      const events = listEvents(deps.db, 200);
      return page(
        c,
        t.adminEvents,
        <>
          <AdminHeader t={t} tab="events" />
          {events.length === 0 ? (
            <p class="empty">{t.eventsEmpty}</p>
          ) : (
            <div class="table-wrap">
              <table id="events-table">
                <thead>
                  <tr>
                    <th scope="col">{t.eventTime}</th>
                    <th scope="col">{t.eventService}</th>
                    <th scope="col">{t.eventLevel}</th>
                    <th scope="col">{t.eventMessage}</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((e) => (
                    <tr>
                      <td class="nowrap">{formatTime(e.createdAt, c.get('locale'))}</td>
                      <td>{e.service}</td>
                      <td>
                        <span class={e.level === 'warn' ? 'badge badge-queued' : 'badge badge-failed'}>{e.level}</span>
                      </td>
                      <td class="wrap">
                        {e.message}
                        {e.requestId && <span class="muted"> · {e.requestId}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>,
      );
    });
}
