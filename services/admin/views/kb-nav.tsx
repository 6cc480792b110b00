import type { KbRole, KbWithRole } from '../../core/access/index.ts';
import { type Dict, fmt, type MessageKey } from '../i18n/index.ts';

export type KbTab = 'documents' | 'search' | 'chat' | 'notes' | 'members' | 'settings';

const roleKeys: Record<KbRole, MessageKey> = { owner: 'kbRoleOwner', editor: 'kbRoleEditor', viewer: 'kbRoleViewer' };
/** A role's name in the page's language. */
export const roleName = (t: Dict, role: KbRole) => t[roleKeys[role]];

/** Editors and the owner change documents and notes; viewers only read, search and chat. */
export const mayWrite = (kb: Pick<KbWithRole, 'role'>) => kb.role !== 'viewer';

/** The caller's role as a small badge. */
export function RoleBadge({ t, role }: { t: Dict; role: KbRole }) {
  return <span class={`badge badge-role badge-${role}`}>{roleName(t, role)}</span>;
}

/** The KB heading and its tabs, shared by every page inside one KB; settings only for its owner. */
export function KbHeader({ t, kb, tab }: { t: Dict; kb: KbWithRole; tab: KbTab }) {
  const base = `/kbs/${kb.id}`;
  const tabs: Array<[KbTab, string, string]> = [
    ['documents', base, t.tabDocuments],
    ['search', `${base}/search`, t.tabSearch],
    ['chat', `${base}/chat`, t.tabChat],
    ['notes', `${base}/notes`, t.tabNotes],
    ['members', `${base}/members`, t.tabMembers],
  ];
  if (kb.role === 'owner') tabs.push(['settings', `${base}/edit`, t.tabSettings]);
  return (
    <header class="kb-header">
      <p class="crumbs">
        <a href="/kbs">{t.navKbs}</a> /
      </p>
      <h1>{kb.title}</h1>
      {kb.description && <p class="muted">{kb.description}</p>}
      <p class="meta" id="kb-role">
        {fmt(t.yourRole, { role: roleName(t, kb.role) })}
      </p>
      <nav class="tabs" aria-label={kb.title}>
        {tabs.map(([id, href, label]) => (
          <a href={href} aria-current={id === tab ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
    </header>
  );
}

/** A date and time in the page's language. */
export function formatTime(ms: number | null | undefined, locale: string): string {
  if (!ms) return '';
  return new Date(ms).toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
}
