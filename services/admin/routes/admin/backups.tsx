import { Hono } from 'hono';
import { createBackup, listBackups } from '../../../core/backup/index.ts';
import type { Deps } from '../../../core/deps.ts';
import type { AdminEnv } from '../../env.ts';
import { fmt } from '../../i18n/index.ts';
import { AdminHeader } from '../../views/admin-nav.tsx';
import { page, redirectTo } from '../../views/render.tsx';

const size = (bytes: number) =>
  bytes > 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;

/** Backups: the archives in BACKUP_DIR and a button that writes a new one. */
export function adminBackupPages(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/', async (c) => {
      const t = c.get('t');
      const backups = await listBackups(deps.config);
      const created = c.req.query('created');
      return page(
        c,
        t.adminBackups,
        <>
          <AdminHeader t={t} tab="backups" />
          <section class="stack">
            {created && (
              <p class="alert alert-success" role="status">
                {fmt(t.backupCreated, { file: created })}
              </p>
            )}
            <p class="muted">{fmt(t.backupDir, { dir: deps.config.BACKUP_DIR })}</p>
            <form method="post" action="/admin/backups" hx-post="/admin/backups" hx-disabled-elt="find button">
              <button type="submit" class="primary">
                {t.backupCreate}
              </button>
            </form>
            {backups.length === 0 ? (
              <p class="empty">{t.backupsEmpty}</p>
            ) : (
              <div class="table-wrap">
                <table id="backups-table">
                  <thead>
                    <tr>
                      <th scope="col">{t.backupFile}</th>
                      <th scope="col">{t.docSize}</th>
                      <th scope="col">{t.created}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {backups.map((b) => (
                      <tr>
                        <td>
                          <code>{b.name}</code>
                        </td>
                        <td>{size(b.bytes)}</td>
                        <td>{b.createdAt.replace('T', ' ').slice(0, 19)} UTC</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>,
      );
    })
    .post('/', async (c) => {
      const backup = await createBackup(deps.config);
      c.get('logger').info({ file: backup.name }, 'backup created from the console');
      return redirectTo(c, `/admin/backups?created=${encodeURIComponent(backup.name)}`);
    });
}
