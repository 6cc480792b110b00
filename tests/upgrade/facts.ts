/** What the upgrade fixtures were made with, so the upgrade test knows what must survive. */
export interface FixtureFacts {
  admin: { email: string; password: string };
  user: { email: string; password: string };
  apiKeyName: string;
  kbTitle: string;
  adminKbTitle: string;
  /** Files of tests/fixtures/recall uploaded to the user's KB. */
  documents: string[];
  note: { title: string; content: string };
  question: string;
}

export const FIXTURE_FACTS: FixtureFacts = {
  admin: { email: 'admin@upgrade.test', password: 'admin password 2026' },
  user: { email: 'user@upgrade.test', password: 'user password 2026' },
  apiKeyName: 'kept key',
  kbTitle: 'Kept knowledge',
  adminKbTitle: 'Admin knowledge',
  documents: ['tea-brewing.md', 'postgres-indexing.md', 'giant-pandas.md'],
  note: { title: 'Kept note', content: 'A note that must survive the upgrade.' },
  question: '泡绿茶的水温应该是多少度？',
};
