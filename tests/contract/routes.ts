import { fileForm } from '../ingest/helpers.ts';
import type { Owned } from './world.ts';

/**
 * Who may call a route on a KB's resources: any member (`read`), editors and the owner
 * (`write`), the owner alone (`manage`), or only the user who created the resource
 * (`creator`: chat sessions and API keys stay private even inside a shared KB).
 */
export type Need = 'read' | 'write' | 'manage' | 'creator';

/** One call of the public contract, built against the resources of `owner`. */
export interface RouteCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** Resource a route reads or changes, for the cross-user table. */
  resource: 'api-key' | 'kb' | 'document' | 'search' | 'session' | 'note' | 'member';
  needs: Need;
  /** A call that is allowed uses up what it addresses (a delete, an add): checked on fresh resources. */
  consumes?: boolean;
}

const upload = () => fileForm('probe.txt', 'probe text for the contract');

/**
 * Every authenticated route of `/api` with a valid body, addressed at `owner`'s resources.
 * Used anonymously (401), by another user (404) and by each role on the KB.
 */
export function ownedRoutes(owner: Owned): RouteCall[] {
  const { kbId, documentId: d, sessionId: s, noteId: n, apiKeyId: k, memberUserId: m } = owner;
  return [
    { method: 'DELETE', path: `/api/api-keys/${k}`, resource: 'api-key', needs: 'creator', consumes: true },
    { method: 'GET', path: `/api/kbs/${kbId}`, resource: 'kb', needs: 'read' },
    { method: 'PATCH', path: `/api/kbs/${kbId}`, body: { title: 'taken over' }, resource: 'kb', needs: 'manage' },
    { method: 'DELETE', path: `/api/kbs/${kbId}`, resource: 'kb', needs: 'manage', consumes: true },
    { method: 'GET', path: `/api/kbs/${kbId}/members`, resource: 'member', needs: 'read' },
    {
      method: 'POST',
      path: `/api/kbs/${kbId}/members`,
      body: { email: owner.outsiderEmail, role: 'viewer' },
      resource: 'member',
      needs: 'manage',
      consumes: true,
    },
    {
      method: 'PATCH',
      path: `/api/kbs/${kbId}/members/${m}`,
      body: { role: 'viewer' },
      resource: 'member',
      needs: 'manage',
    },
    { method: 'DELETE', path: `/api/kbs/${kbId}/members/${m}`, resource: 'member', needs: 'manage', consumes: true },
    { method: 'POST', path: `/api/kbs/${kbId}/documents`, body: upload(), resource: 'kb', needs: 'write' },
    {
      method: 'POST',
      path: `/api/kbs/${kbId}/documents/url`,
      body: { url: 'http://127.0.0.1:9/contract-probe' },
      resource: 'kb',
      needs: 'write',
    },
    { method: 'GET', path: `/api/kbs/${kbId}/documents`, resource: 'kb', needs: 'read' },
    { method: 'GET', path: `/api/documents/${d}`, resource: 'document', needs: 'read' },
    {
      method: 'PATCH',
      path: `/api/documents/${d}`,
      body: { metadata: { year: 2025 } },
      resource: 'document',
      needs: 'write',
    },
    { method: 'GET', path: `/api/documents/${d}/chunks`, resource: 'document', needs: 'read' },
    { method: 'GET', path: `/api/documents/${d}/chunks?layer=child`, resource: 'document', needs: 'read' },
    { method: 'POST', path: `/api/documents/${d}/reprocess`, resource: 'document', needs: 'write' },
    { method: 'DELETE', path: `/api/documents/${d}`, resource: 'document', needs: 'write', consumes: true },
    { method: 'POST', path: '/api/search', body: { kbId, query: 'procedure' }, resource: 'search', needs: 'read' },
    {
      method: 'POST',
      path: '/api/search',
      body: { kbId, query: 'procedure', mode: 'flat', hybrid: true },
      resource: 'search',
      needs: 'read',
    },
    {
      method: 'POST',
      path: '/api/search',
      body: {
        kbId,
        query: 'procedure',
        filter: { metadata: { conditions: [{ name: 'year', comparison_operator: 'empty' }] } },
      },
      resource: 'search',
      needs: 'read',
    },
    { method: 'POST', path: '/api/chat/sessions', body: { kbId, title: 'intruder' }, resource: 'kb', needs: 'read' },
    { method: 'GET', path: `/api/chat/sessions?kbId=${kbId}`, resource: 'kb', needs: 'read' },
    { method: 'GET', path: `/api/chat/sessions/${s}`, resource: 'session', needs: 'creator' },
    {
      method: 'PATCH',
      path: `/api/chat/sessions/${s}`,
      body: { title: 'taken over' },
      resource: 'session',
      needs: 'creator',
    },
    { method: 'DELETE', path: `/api/chat/sessions/${s}`, resource: 'session', needs: 'creator', consumes: true },
    { method: 'GET', path: `/api/chat/sessions/${s}/messages`, resource: 'session', needs: 'creator' },
    {
      method: 'POST',
      path: `/api/chat/sessions/${s}/messages`,
      body: { content: 'procedure?' },
      resource: 'session',
      needs: 'creator',
    },
    { method: 'GET', path: `/api/kbs/${kbId}/notes`, resource: 'kb', needs: 'read' },
    {
      method: 'POST',
      path: `/api/kbs/${kbId}/notes`,
      body: { title: 'intruder', content: 'x' },
      resource: 'kb',
      needs: 'write',
    },
    { method: 'GET', path: `/api/notes/${n}`, resource: 'note', needs: 'read' },
    { method: 'PATCH', path: `/api/notes/${n}`, body: { content: 'taken over' }, resource: 'note', needs: 'write' },
    { method: 'DELETE', path: `/api/notes/${n}`, resource: 'note', needs: 'write', consumes: true },
    { method: 'POST', path: `/api/notes/${n}/share`, resource: 'note', needs: 'write' },
    { method: 'DELETE', path: `/api/notes/${n}/share`, resource: 'note', needs: 'write' },
  ];
}

/** Authenticated routes that address no one's resource (collections and "me"). */
export const collectionRoutes: Array<Pick<RouteCall, 'method' | 'path' | 'body'>> = [
  { method: 'GET', path: '/api/auth/me' },
  { method: 'POST', path: '/api/auth/password', body: { currentPassword: 'x', newPassword: 'long enough password' } },
  { method: 'POST', path: '/api/api-keys', body: { name: 'probe' } },
  { method: 'GET', path: '/api/api-keys' },
  { method: 'GET', path: '/api/kbs' },
  { method: 'POST', path: '/api/kbs', body: { title: 'probe' } },
  { method: 'GET', path: '/api/chat/sessions' },
  { method: 'GET', path: '/api/chat/models' },
];

/** Routes for administrators only: 401 anonymous, 403 for everyone else. */
export function adminRoutes(target: Owned): Array<Pick<RouteCall, 'method' | 'path' | 'body'>> {
  return [
    { method: 'GET', path: '/api/admin/users' },
    { method: 'PATCH', path: `/api/admin/users/${target.userId}`, body: { disabled: true } },
    { method: 'POST', path: `/api/admin/users/${target.userId}/reset-link` },
    { method: 'GET', path: '/api/admin/audit' },
    { method: 'GET', path: '/api/admin/audit?limit=5' },
    { method: 'POST', path: '/api/invitations', body: { email: 'probe@contract.example' } },
    { method: 'GET', path: '/api/invitations' },
    { method: 'DELETE', path: '/api/invitations/00000000-0000-4000-8000-000000000000' },
  ];
}

/** Routes open without credentials; `/v1` asks for an API key in OpenAI's own error format. */
export function publicRoutes(owner: Owned): Array<Pick<RouteCall, 'method' | 'path' | 'body'>> {
  return [
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
    { method: 'GET', path: '/metrics' },
    {
      method: 'POST',
      path: '/api/auth/register',
      body: { email: 'probe@contract.example', password: 'probe password' },
    },
    { method: 'POST', path: '/api/auth/login', body: { email: owner.email, password: 'wrong password' } },
    { method: 'POST', path: '/api/auth/logout' },
    {
      method: 'POST',
      path: '/api/auth/reset',
      body: { token: 'not-a-reset-token', newPassword: 'long enough password' },
    },
    { method: 'GET', path: '/shared/notes/not-a-share-token' },
    { method: 'GET', path: '/v1/models' },
    {
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: `kb:${owner.kbId}`, messages: [{ role: 'user', content: 'procedure?' }] },
    },
  ];
}

/**
 * The routes for other tools: the OpenAPI document and its reference page (open), MCP and
 * Dify's retrieval (a Bearer key, each answering a refusal in its own protocol's shape).
 */
export function integrationRoutes(owner: Owned): Array<Pick<RouteCall, 'method' | 'path' | 'body'>> {
  return [
    { method: 'GET', path: '/api/openapi.json' },
    { method: 'GET', path: '/api/docs' },
    { method: 'GET', path: '/api/docs/assets/init.js' },
    {
      method: 'POST',
      path: '/api/dify/retrieval',
      body: { knowledge_id: owner.kbId, query: 'procedure', retrieval_setting: { top_k: 3, score_threshold: 0 } },
    },
    {
      method: 'POST',
      path: '/mcp',
      body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_knowledge_bases', arguments: {} } },
    },
    { method: 'GET', path: '/mcp' },
    { method: 'DELETE', path: '/mcp' },
  ];
}

/** Every route of the gateway, addressed at `owner`'s resources: what the completeness test checks. */
export function gatewayRoutes(owner: Owned): Array<Pick<RouteCall, 'method' | 'path' | 'body'>> {
  return [
    ...publicRoutes(owner),
    ...collectionRoutes,
    ...ownedRoutes(owner),
    ...adminRoutes(owner),
    ...integrationRoutes(owner),
  ];
}

/** Whether a role (or the creator) may make a call that needs `need`. */
export function allows(need: Need, role: 'owner' | 'editor' | 'viewer'): boolean {
  if (need === 'creator' || need === 'manage') return role === 'owner';
  if (need === 'write') return role !== 'viewer';
  return true;
}

/** One console page or form post, with the form it sends. */
export interface ConsoleCall {
  method: 'GET' | 'POST';
  path: string;
  fields?: Record<string, string>;
  needs: Need;
  consumes?: boolean;
}

/**
 * Every console page, fragment and form post that addresses `owner`'s resources, valid forms
 * and invalid ones alike (access is decided before the form is read).
 */
export function consoleRoutes(owner: Owned): ConsoleCall[] {
  const { kbId, documentId: d, sessionId: s, noteId: n, apiKeyId: k, memberUserId: m } = owner;
  return [
    { method: 'GET', path: `/kbs/${kbId}`, needs: 'read' },
    { method: 'GET', path: `/kbs/${kbId}/edit`, needs: 'manage' },
    { method: 'GET', path: `/kbs/${kbId}/documents`, needs: 'read' },
    { method: 'GET', path: `/kbs/${kbId}/notes`, needs: 'read' },
    { method: 'GET', path: `/kbs/${kbId}/chat`, needs: 'read' },
    { method: 'GET', path: `/kbs/${kbId}/search?q=procedure&mode=flat`, needs: 'read' },
    { method: 'GET', path: `/kbs/${kbId}/members`, needs: 'read' },
    { method: 'GET', path: `/documents/${d}`, needs: 'read' },
    { method: 'GET', path: `/documents/${d}/status`, needs: 'read' },
    { method: 'GET', path: `/chat/${s}`, needs: 'creator' },
    { method: 'GET', path: `/notes/${n}`, needs: 'read' },
    { method: 'POST', path: `/kbs/${kbId}/edit`, fields: { title: 'taken' }, needs: 'manage' },
    { method: 'POST', path: `/kbs/${kbId}/edit`, fields: { title: '' }, needs: 'manage' },
    { method: 'POST', path: `/kbs/${kbId}/delete`, needs: 'manage', consumes: true },
    { method: 'POST', path: `/kbs/${kbId}/notes`, fields: { title: 'intruder', content: 'x' }, needs: 'write' },
    { method: 'POST', path: `/kbs/${kbId}/notes`, fields: { title: '', content: '' }, needs: 'write' },
    { method: 'POST', path: `/kbs/${kbId}/chat`, needs: 'read' },
    { method: 'POST', path: `/kbs/${kbId}/documents`, needs: 'write' },
    { method: 'POST', path: `/kbs/${kbId}/documents/url`, fields: { url: 'http://127.0.0.1:9/probe' }, needs: 'write' },
    { method: 'POST', path: `/kbs/${kbId}/ocr`, fields: { ocrLanguage: 'eng' }, needs: 'manage' },
    {
      method: 'POST',
      path: `/kbs/${kbId}/members`,
      fields: { email: owner.outsiderEmail, role: 'viewer' },
      needs: 'manage',
      consumes: true,
    },
    { method: 'POST', path: `/kbs/${kbId}/members`, fields: { email: '', role: 'owner' }, needs: 'manage' },
    { method: 'POST', path: `/kbs/${kbId}/members/${m}`, fields: { role: 'viewer' }, needs: 'manage' },
    { method: 'POST', path: `/kbs/${kbId}/members/${m}/remove`, needs: 'manage', consumes: true },
    {
      method: 'POST',
      path: `/documents/${d}/metadata`,
      fields: { name: 'year', kind: 'number', value: '2025' },
      needs: 'write',
    },
    { method: 'POST', path: `/documents/${d}/reprocess`, needs: 'write' },
    { method: 'POST', path: `/documents/${d}/delete`, needs: 'write', consumes: true },
    { method: 'POST', path: `/chat/${s}/messages`, fields: { content: 'procedure?' }, needs: 'creator' },
    { method: 'POST', path: `/chat/${s}/delete`, needs: 'creator', consumes: true },
    { method: 'POST', path: `/notes/${n}`, fields: { title: 'taken', content: 'taken' }, needs: 'write' },
    { method: 'POST', path: `/notes/${n}`, fields: { title: '', content: '' }, needs: 'write' },
    { method: 'POST', path: `/notes/${n}/share`, needs: 'write' },
    { method: 'POST', path: `/notes/${n}/unshare`, needs: 'write' },
    { method: 'POST', path: `/notes/${n}/delete`, needs: 'write', consumes: true },
    { method: 'POST', path: `/account/api-keys/${k}/revoke`, needs: 'creator', consumes: true },
  ];
}

/** The form of a console call. */
export function formOf(call: ConsoleCall): FormData | undefined {
  if (call.method === 'GET') return undefined;
  const form = new FormData();
  for (const [key, value] of Object.entries(call.fields ?? {})) form.append(key, value);
  return form;
}

/** One form post of the console, its text fields filled in as a user would. */
export interface ConsolePost {
  path: string;
  fields: Record<string, string>;
  /** The upload form posts files, not text. */
  upload?: boolean;
}

/** Every form post of the console, addressed at `owner`'s resources; `other` is the account an admin changes. */
export function consolePosts(owner: Owned, other: Owned): ConsolePost[] {
  const { kbId, documentId: d, sessionId: s, noteId: n, apiKeyId: k } = owner;
  return [
    { path: '/signup', fields: { name: 'Probe', email: 'probe@contract.example', password: 'probe password' } },
    { path: '/login', fields: { email: owner.email, password: 'correct horse battery', next: '/kbs' } },
    { path: '/lang', fields: { lang: 'zh', back: '/kbs' } },
    { path: '/kbs', fields: { title: 'probe kb', description: 'probe' } },
    { path: `/kbs/${kbId}/edit`, fields: { title: 'probe renamed', description: 'probe' } },
    { path: `/kbs/${kbId}/members`, fields: { email: owner.outsiderEmail, role: 'viewer' } },
    { path: `/kbs/${kbId}/members/${owner.memberUserId}`, fields: { role: 'editor' } },
    { path: `/kbs/${kbId}/members/${owner.memberUserId}/remove`, fields: {} },
    { path: `/kbs/${kbId}/delete`, fields: {} },
    { path: `/kbs/${kbId}/documents`, fields: {}, upload: true },
    { path: `/documents/${d}/reprocess`, fields: {} },
    { path: `/documents/${d}/delete`, fields: {} },
    { path: `/kbs/${kbId}/chat`, fields: {} },
    { path: `/kbs/${kbId}/chat/messages`, fields: { content: 'probe question' } },
    { path: `/chat/${s}/messages`, fields: { content: 'probe question' } },
    { path: `/chat/${s}/delete`, fields: {} },
    { path: `/kbs/${kbId}/notes`, fields: { title: 'probe note', content: 'probe' } },
    { path: `/notes/${n}`, fields: { title: 'probe note', content: 'probe' } },
    { path: `/notes/${n}/share`, fields: {} },
    { path: `/notes/${n}/unshare`, fields: {} },
    { path: `/notes/${n}/delete`, fields: {} },
    { path: '/account/password', fields: { currentPassword: 'wrong password', newPassword: 'probe password 2' } },
    { path: '/reset-password', fields: { token: 'not-a-reset-token', newPassword: 'probe password 2' } },
    { path: '/account/api-keys', fields: { name: 'probe key', kbIds: kbId, readOnly: 'true' } },
    { path: `/account/api-keys/${k}/revoke`, fields: {} },
    { path: `/admin/users/${other.userId}`, fields: { role: 'admin' } },
    { path: `/admin/users/${other.userId}/reset-link`, fields: {} },
    { path: '/admin/invitations', fields: { email: 'invited@contract.example', role: 'user', expiresInDays: '7' } },
    { path: '/admin/invitations/00000000-0000-4000-8000-000000000000/revoke', fields: {} },
    { path: `/admin/jobs/${other.documentId}/retry`, fields: {} },
    { path: '/admin/backups', fields: {} },
    { path: '/logout', fields: {} },
  ];
}
