import type { KnowledgeBase } from '../../core/kbs/index.ts';
import type { Dict } from '../i18n/index.ts';

export type KbTab = 'documents' | 'search' | 'chat' | 'notes' | 'settings';

/** The KB heading and its tabs, shared by every page inside one KB. */
export function KbHeader({ t, kb, tab }: { t: Dict; kb: KnowledgeBase; tab: KbTab }) {
  const base = `/kbs/${kb.id}`;
  const tabs: Array<[KbTab, string, string]> = [
    ['documents', base, t.tabDocuments],
    ['search', `${base}/search`, t.tabSearch],
    ['chat', `${base}/chat`, t.tabChat],
    ['notes', `${base}/notes`, t.tabNotes],
    ['settings', `${base}/edit`, t.tabSettings],
  ];
  return (
    <header class="kb-header">
      <p class="crumbs">
        <a href="/kbs">{t.navKbs}</a> /
      </p>
      <h1>{kb.title}</h1>
      {kb.description && <p class="muted">{kb.description}</p>}
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
