import { expect } from 'vitest';
import { type RunningIngestWorker, startIngestWorker } from '../../services/core/ingest/worker.ts';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';

export type Client = ReturnType<typeof client>;

/** Every resource one user owns, with the private words that must never reach anyone else. */
export interface Owned {
  token: string;
  userId: string;
  email: string;
  kbId: string;
  kbTitle: string;
  documentId: string;
  sessionId: string;
  noteId: string;
  apiKeyId: string;
  apiKey: string;
  /** A viewer of the KB, the one the member routes address. */
  memberUserId: string;
  /** A registered account that is not a member of the KB, for adding members by email. */
  outsiderEmail: string;
  /** Words from titles and contents that only this user may ever see. */
  secrets: string[];
}

export interface World {
  deps: TestDeps;
  api: Client;
  alice: Owned;
  bob: Owned;
  close(): Promise<void>;
}

const DOC = (word: string) =>
  `# ${word} handbook\n\nThe ${word} procedure starts at dawn.\n\n## Storage\n\nKeep every ${word} crate dry and cold.\n`;

/** Registers a user and gives it one of everything: KB, completed document, chat session, note, API key. */
export async function seedUser(api: Client, email: string, word: string): Promise<Owned> {
  const account = { ...(await api.register(email)), email };
  const member = await registered(api, `${word}.member@contract.example`);
  const outsider = await registered(api, `${word}.outsider@contract.example`);
  return seedKb(api, account, word, { member, outsiderEmail: outsider.email });
}

export interface Account {
  token: string;
  userId: string;
  email: string;
}

/** Signs in through the API and returns the session cookie as a `Cookie` header value. */
export async function signIn(
  api: Pick<Client, 'call'>,
  email: string,
  password = 'correct horse battery',
): Promise<string> {
  const login = await api.call('POST', '/api/auth/login', { body: { email, password } });
  return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** Registers an account and keeps its email with its token and id. */
export async function registered(api: Client, email: string): Promise<Account> {
  return { ...(await api.register(email)), email };
}

/**
 * Gives an account a new KB with one of everything in it (completed document, chat session,
 * note, API key) and a viewer; `word` names it and must be unique in the world.
 */
export async function seedKb(
  api: Client,
  account: Account,
  word: string,
  people: { member: Account; outsiderEmail: string },
): Promise<Owned> {
  const { token, userId, email } = account;
  const kbTitle = `${word} vault`;
  const kb = await api.call('POST', '/api/kbs', { token, body: { title: kbTitle, description: `${word} notes` } });
  expect(kb.status, kb.text).toBe(201);
  const kbId = kb.json.kb.id as string;
  const up = await api.call('POST', `/api/kbs/${kbId}/documents`, {
    token,
    body: fileForm(`${word}-handbook.md`, DOC(word)),
  });
  expect(up.status, up.text).toBe(202);
  const documentId = up.json.document.id as string;
  const doc = await waitForDocument(api, token, documentId);
  expect(doc.status, JSON.stringify(doc)).toBe('completed');
  const session = await api.call('POST', '/api/chat/sessions', { token, body: { kbId, title: `${word} chat` } });
  expect(session.status, session.text).toBe(201);
  const note = await api.call('POST', `/api/kbs/${kbId}/notes`, {
    token,
    body: { title: `${word} note`, content: `${word} private content` },
  });
  expect(note.status, note.text).toBe(201);
  const key = await api.call('POST', '/api/api-keys', { token, body: { name: `${word} key` } });
  expect(key.status, key.text).toBe(201);
  const added = await api.call('POST', `/api/kbs/${kbId}/members`, {
    token,
    body: { email: people.member.email, role: 'viewer' },
  });
  expect(added.status, added.text).toBe(201);
  return {
    token,
    userId,
    email,
    kbId,
    kbTitle,
    documentId,
    sessionId: session.json.session.id,
    noteId: note.json.note.id,
    apiKeyId: key.json.apiKey.id,
    apiKey: key.json.key,
    memberUserId: people.member.userId,
    outsiderEmail: people.outsiderEmail,
    secrets: [word, kbTitle],
  };
}

/** A gateway over fresh deps with an in-process worker and two seeded users. */
export async function createWorld(env: Record<string, string> = {}): Promise<World> {
  // Web imports in the route table point at a closed loopback port: nothing leaves the machine.
  const deps = await createTestDeps({ MAX_UPLOAD_MB: '1', URL_IMPORT_ALLOW_PRIVATE: 'true', ...env });
  let worker: RunningIngestWorker | undefined;
  try {
    worker = await startIngestWorker(deps);
    const api = client(createApp(deps));
    const alice = await seedUser(api, 'alice@contract.example', 'zanzibar');
    const bob = await seedUser(api, 'bob@contract.example', 'quixotic');
    return {
      deps,
      api,
      alice,
      bob,
      async close() {
        worker?.stop();
        await deps.cleanup();
      },
    };
  } catch (err) {
    worker?.stop();
    await deps.cleanup();
    throw err;
  }
}

/** The contract's error body: `{error:{code,message,requestId}}` with a snake_case code. */
export function expectErrorShape(res: { status: number; text: string; json: unknown; headers: Headers }) {
  const body = res.json as { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | undefined;
  expect(body?.error, res.text).toBeDefined();
  expect(body?.error?.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  expect(body?.error?.message).toEqual(expect.any(String));
  expect(body?.error?.requestId).toEqual(expect.any(String));
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
}
