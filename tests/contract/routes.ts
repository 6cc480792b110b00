import { fileForm } from '../ingest/helpers.ts';
import type { Owned } from './world.ts';

/** One call of the public contract, built against the resources of `owner`. */
export interface RouteCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** Resource a route reads or changes, for the cross-user table. */
  resource: 'api-key' | 'kb' | 'document' | 'search' | 'session' | 'note';
}

const upload = () => fileForm('probe.txt', 'probe text for the contract');

/**
 * Every authenticated route of `/api` with a valid body, addressed at `owner`'s resources.
 * Used both anonymously (401) and by another user (404).
 */
export function ownedRoutes(owner: Owned): RouteCall[] {
  const { kbId, documentId: d, sessionId: s, noteId: n, apiKeyId: k } = owner;
  return [
    { method: 'DELETE', path: `/api/api-keys/${k}`, resource: 'api-key' },
    { method: 'GET', path: `/api/kbs/${kbId}`, resource: 'kb' },
    { method: 'PATCH', path: `/api/kbs/${kbId}`, body: { title: 'taken over' }, resource: 'kb' },
    { method: 'DELETE', path: `/api/kbs/${kbId}`, resource: 'kb' },
    { method: 'POST', path: `/api/kbs/${kbId}/documents`, body: upload(), resource: 'kb' },
    { method: 'GET', path: `/api/kbs/${kbId}/documents`, resource: 'kb' },
    { method: 'GET', path: `/api/documents/${d}`, resource: 'document' },
    { method: 'GET', path: `/api/documents/${d}/chunks`, resource: 'document' },
    { method: 'GET', path: `/api/documents/${d}/chunks?layer=child`, resource: 'document' },
    { method: 'POST', path: `/api/documents/${d}/reprocess`, resource: 'document' },
    { method: 'DELETE', path: `/api/documents/${d}`, resource: 'document' },
    { method: 'POST', path: '/api/search', body: { kbId, query: 'procedure' }, resource: 'search' },
    {
      method: 'POST',
      path: '/api/search',
      body: { kbId, query: 'procedure', mode: 'flat', hybrid: true },
      resource: 'search',
    },
    { method: 'POST', path: '/api/chat/sessions', body: { kbId, title: 'intruder' }, resource: 'kb' },
    { method: 'GET', path: `/api/chat/sessions?kbId=${kbId}`, resource: 'kb' },
    { method: 'GET', path: `/api/chat/sessions/${s}`, resource: 'session' },
    { method: 'PATCH', path: `/api/chat/sessions/${s}`, body: { title: 'taken over' }, resource: 'session' },
    { method: 'DELETE', path: `/api/chat/sessions/${s}`, resource: 'session' },
    { method: 'GET', path: `/api/chat/sessions/${s}/messages`, resource: 'session' },
    { method: 'POST', path: `/api/chat/sessions/${s}/messages`, body: { content: 'procedure?' }, resource: 'session' },
    { method: 'GET', path: `/api/kbs/${kbId}/notes`, resource: 'kb' },
    { method: 'POST', path: `/api/kbs/${kbId}/notes`, body: { title: 'intruder', content: 'x' }, resource: 'kb' },
    { method: 'GET', path: `/api/notes/${n}`, resource: 'note' },
    { method: 'PATCH', path: `/api/notes/${n}`, body: { content: 'taken over' }, resource: 'note' },
    { method: 'DELETE', path: `/api/notes/${n}`, resource: 'note' },
    { method: 'POST', path: `/api/notes/${n}/share`, resource: 'note' },
    { method: 'DELETE', path: `/api/notes/${n}/share`, resource: 'note' },
  ];
}

/** Authenticated routes that address no one's resource (collections and "me"). */
export const collectionRoutes: Array<Pick<RouteCall, 'method' | 'path' | 'body'>> = [
  { method: 'GET', path: '/api/auth/me' },
  { method: 'POST', path: '/api/api-keys', body: { name: 'probe' } },
  { method: 'GET', path: '/api/api-keys' },
  { method: 'GET', path: '/api/kbs' },
  { method: 'POST', path: '/api/kbs', body: { title: 'probe' } },
  { method: 'GET', path: '/api/chat/sessions' },
  { method: 'GET', path: '/api/chat/models' },
];
