import type { Dict } from '../i18n/index.ts';

export type AdminTab = 'users' | 'invitations' | 'audit' | 'jobs' | 'health' | 'events' | 'backups';

/** Heading and tabs of the administration pages. */
export function AdminHeader({ t, tab }: { t: Dict; tab: AdminTab }) {
  const tabs: Array<[AdminTab, string]> = [
    ['users', t.adminUsers],
    ['invitations', t.adminInvitations],
    ['audit', t.adminAudit],
    ['jobs', t.adminJobs],
    ['health', t.adminHealth],
    ['events', t.adminEvents],
    ['backups', t.adminBackups],
  ];
  return (
    <header class="kb-header">
      <h1>{t.adminTitle}</h1>
      <nav class="tabs" aria-label={t.adminTitle}>
        {tabs.map(([id, label]) => (
          <a href={`/admin/${id}`} aria-current={id === tab ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
    </header>
  );
}
