import type { Dict, MessageKey } from '../i18n/index.ts';

const labels: Record<string, MessageKey> = {
  queued: 'statusQueued',
  processing: 'statusProcessing',
  completed: 'statusCompleted',
  failed: 'statusFailed',
};

/** A document status as a coloured, translated badge. */
export function StatusBadge({ t, status }: { t: Dict; status: string }) {
  const key = labels[status];
  return <span class={`badge badge-${status}`}>{key ? t[key] : status}</span>;
}
