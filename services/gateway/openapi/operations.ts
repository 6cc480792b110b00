import { z } from 'zod';
import {
  apiKeySchema,
  auditEventSchema,
  chunkSchema,
  difyAnswerSchema,
  documentSchema,
  healthSchema,
  invitationSchema,
  items,
  jsonRpcRequestSchema,
  jsonRpcSchema,
  kbSchema,
  memberSchema,
  messageSchema,
  noteSchema,
  openAiCompletionSchema,
  openAiModelsSchema,
  readySchema,
  searchResultSchema,
  sessionSchema,
  userSchema,
} from './schemas.ts';

/** What one operation answers when it succeeds: a JSON schema, no body, or another media type. */
export interface Operation {
  tag: string;
  summary: string;
  status: number;
  /** JSON answer; undefined with `media` or for an empty answer. */
  schema?: z.ZodType;
  /** A non-JSON answer (HTML, Prometheus text, SSE). */
  media?: string;
  /** Needs no credentials. */
  public?: boolean;
  /** Answers in a shape of its own on error (Dify, OpenAI, MCP) instead of the contract's. */
  ownErrors?: boolean;
  /** The JSON body of a route whose body no validator reads (the MCP transport parses its own). */
  request?: z.ZodType;
}

const session = z.object({ user: userSchema, token: z.string().describe('A session token, also set as a cookie') });
const one = <K extends string>(key: K, schema: z.ZodType) => z.object({ [key]: schema } as Record<K, z.ZodType>);

/**
 * Every route of the gateway, keyed `METHOD /path` as Hono registers it. The OpenAPI test fails
 * when the app has a route this table lacks, or the table one the app lacks.
 */
export const operations: Record<string, Operation> = {
  'GET /healthz': { tag: 'Health', summary: 'The process answers', status: 200, schema: healthSchema, public: true },
  'GET /readyz': {
    tag: 'Health',
    summary: 'Each dependency and its state (503 when a required one is down)',
    status: 200,
    schema: readySchema,
    public: true,
  },
  'GET /metrics': { tag: 'Health', summary: 'Prometheus metrics', status: 200, media: 'text/plain', public: true },

  'POST /api/auth/register': {
    tag: 'Accounts',
    summary: 'Create an account',
    status: 201,
    schema: session,
    public: true,
  },
  'POST /api/auth/login': { tag: 'Accounts', summary: 'Sign in', status: 200, schema: session, public: true },
  'POST /api/auth/logout': { tag: 'Accounts', summary: 'End this session', status: 204, public: true },
  'GET /api/auth/me': { tag: 'Accounts', summary: 'Who am I', status: 200, schema: one('user', userSchema) },
  'POST /api/auth/password': { tag: 'Accounts', summary: 'Change the password (ends other sessions)', status: 204 },
  'POST /api/auth/reset': { tag: 'Accounts', summary: 'Set a password with a reset link', status: 204, public: true },

  'POST /api/api-keys': {
    tag: 'API keys',
    summary: 'Create an API key, optionally limited to some KBs and read-only (shown once)',
    status: 201,
    schema: z.object({ apiKey: apiKeySchema, key: z.string() }),
  },
  'GET /api/api-keys': { tag: 'API keys', summary: 'Your API keys', status: 200, schema: items(apiKeySchema) },
  'DELETE /api/api-keys/:id': { tag: 'API keys', summary: 'Revoke an API key', status: 204 },

  'GET /api/kbs': { tag: 'Knowledge bases', summary: 'Your KBs with your role', status: 200, schema: items(kbSchema) },
  'POST /api/kbs': { tag: 'Knowledge bases', summary: 'Create a KB', status: 201, schema: one('kb', kbSchema) },
  'GET /api/kbs/:kbId': { tag: 'Knowledge bases', summary: 'One KB', status: 200, schema: one('kb', kbSchema) },
  'PATCH /api/kbs/:kbId': {
    tag: 'Knowledge bases',
    summary: 'Change a KB (owner)',
    status: 200,
    schema: one('kb', kbSchema),
  },
  'DELETE /api/kbs/:kbId': { tag: 'Knowledge bases', summary: 'Delete a KB and everything in it (owner)', status: 204 },
  'GET /api/kbs/:kbId/members': {
    tag: 'Members',
    summary: 'Members of a KB',
    status: 200,
    schema: items(memberSchema),
  },
  'POST /api/kbs/:kbId/members': {
    tag: 'Members',
    summary: 'Add a member by email (owner)',
    status: 201,
    schema: one('member', memberSchema),
  },
  'PATCH /api/kbs/:kbId/members/:userId': {
    tag: 'Members',
    summary: 'Change a member’s role (owner)',
    status: 200,
    schema: one('member', memberSchema),
  },
  'DELETE /api/kbs/:kbId/members/:userId': { tag: 'Members', summary: 'Remove a member, or leave', status: 204 },

  'POST /api/invitations': {
    tag: 'Administration',
    summary: 'Invite someone (admins)',
    status: 201,
    schema: z.object({ invitation: invitationSchema, url: z.string() }),
  },
  'GET /api/invitations': {
    tag: 'Administration',
    summary: 'Invitations',
    status: 200,
    schema: items(invitationSchema),
  },
  'DELETE /api/invitations/:id': { tag: 'Administration', summary: 'Withdraw an invitation', status: 204 },
  'GET /api/admin/users': { tag: 'Administration', summary: 'Users', status: 200, schema: items(userSchema) },
  'PATCH /api/admin/users/:id': {
    tag: 'Administration',
    summary: 'Change a user’s role or disable them',
    status: 200,
    schema: one('user', userSchema),
  },
  'POST /api/admin/users/:id/reset-link': {
    tag: 'Administration',
    summary: 'A one-time password reset link',
    status: 201,
    schema: z.object({ url: z.string(), expiresAt: z.number() }),
  },
  'GET /api/admin/audit': {
    tag: 'Administration',
    summary: 'The audit list',
    status: 200,
    schema: items(auditEventSchema),
  },

  'POST /api/kbs/:kbId/documents': {
    tag: 'Documents',
    summary: 'Upload a document (multipart `file`, optional `metadata` JSON); processed in the background',
    status: 202,
    schema: one('document', documentSchema),
  },
  'POST /api/kbs/:kbId/documents/url': {
    tag: 'Documents',
    summary: 'Import a web page',
    status: 202,
    schema: one('document', documentSchema),
  },
  'GET /api/kbs/:kbId/documents': {
    tag: 'Documents',
    summary: 'Documents of a KB',
    status: 200,
    schema: items(documentSchema),
  },
  'GET /api/documents/:docId': {
    tag: 'Documents',
    summary: 'A document with its ingest state',
    status: 200,
    schema: one('document', documentSchema),
  },
  'PATCH /api/documents/:docId': {
    tag: 'Documents',
    summary: 'Replace a document’s metadata',
    status: 200,
    schema: one('document', documentSchema),
  },
  'GET /api/documents/:docId/chunks': {
    tag: 'Documents',
    summary: 'Chunks by layer',
    status: 200,
    schema: items(chunkSchema),
  },
  'POST /api/documents/:docId/reprocess': {
    tag: 'Documents',
    summary: 'Process a document again',
    status: 202,
    schema: one('document', documentSchema),
  },
  'DELETE /api/documents/:docId': {
    tag: 'Documents',
    summary: 'Delete a document, its chunks and vectors',
    status: 204,
  },

  'GET /api/kbs/:kbId/notes': { tag: 'Notes', summary: 'Notes of a KB', status: 200, schema: items(noteSchema) },
  'POST /api/kbs/:kbId/notes': { tag: 'Notes', summary: 'Write a note', status: 201, schema: one('note', noteSchema) },
  'GET /api/notes/:id': { tag: 'Notes', summary: 'A note', status: 200, schema: one('note', noteSchema) },
  'PATCH /api/notes/:id': { tag: 'Notes', summary: 'Change a note', status: 200, schema: one('note', noteSchema) },
  'DELETE /api/notes/:id': { tag: 'Notes', summary: 'Delete a note', status: 204 },
  'POST /api/notes/:id/share': {
    tag: 'Notes',
    summary: 'Share a note by a read-only link',
    status: 200,
    schema: z.object({ shareUrl: z.string() }),
  },
  'DELETE /api/notes/:id/share': { tag: 'Notes', summary: 'Stop sharing a note', status: 204 },
  'GET /shared/notes/:token': {
    tag: 'Notes',
    summary: 'A shared note, as a page',
    status: 200,
    media: 'text/html',
    public: true,
  },

  'POST /api/search': {
    tag: 'Search',
    summary: 'Three-layer search of a KB, optionally filtered by document metadata',
    status: 200,
    schema: searchResultSchema,
  },

  'GET /api/chat/models': {
    tag: 'Chat',
    summary: 'Models to choose from',
    status: 200,
    schema: z.object({ items: z.array(z.string()), default: z.string() }),
  },
  'POST /api/chat/sessions': {
    tag: 'Chat',
    summary: 'Open a chat on a KB',
    status: 201,
    schema: one('session', sessionSchema),
  },
  'GET /api/chat/sessions': { tag: 'Chat', summary: 'Your chats', status: 200, schema: items(sessionSchema) },
  'GET /api/chat/sessions/:id': { tag: 'Chat', summary: 'A chat', status: 200, schema: one('session', sessionSchema) },
  'PATCH /api/chat/sessions/:id': {
    tag: 'Chat',
    summary: 'Rename a chat or change its model',
    status: 200,
    schema: one('session', sessionSchema),
  },
  'DELETE /api/chat/sessions/:id': { tag: 'Chat', summary: 'Delete a chat', status: 204 },
  'GET /api/chat/sessions/:id/messages': {
    tag: 'Chat',
    summary: 'Messages of a chat',
    status: 200,
    schema: items(messageSchema),
  },
  'POST /api/chat/sessions/:id/messages': {
    tag: 'Chat',
    summary: 'Ask; with `Accept: text/event-stream` the answer streams as token, citations and done events',
    status: 200,
    schema: z.object({ message: messageSchema, citations: messageSchema.shape.citations }),
  },

  'GET /v1/models': {
    tag: 'OpenAI-compatible',
    summary: 'kb:<id> models for your KBs, and the gateway’s models',
    status: 200,
    schema: openAiModelsSchema,
    ownErrors: true,
  },
  'POST /v1/chat/completions': {
    tag: 'OpenAI-compatible',
    summary: 'Chat completions; model kb:<id> answers from that KB, streaming too',
    status: 200,
    schema: openAiCompletionSchema,
    ownErrors: true,
  },

  'POST /api/dify/retrieval': {
    tag: 'Integrations',
    summary: 'Dify’s External Knowledge API: register <gateway>/api/dify as the endpoint',
    status: 200,
    schema: difyAnswerSchema,
    ownErrors: true,
  },
  'POST /mcp': {
    tag: 'Integrations',
    summary: 'Model Context Protocol, Streamable HTTP (stateless; Bearer API key)',
    status: 200,
    schema: jsonRpcSchema,
    request: jsonRpcRequestSchema,
    ownErrors: true,
  },
  'GET /mcp': {
    tag: 'Integrations',
    summary: 'Not offered: the MCP server is stateless (405)',
    status: 405,
    ownErrors: true,
  },
  'DELETE /mcp': {
    tag: 'Integrations',
    summary: 'Not offered: the MCP server is stateless (405)',
    status: 405,
    ownErrors: true,
  },
  'GET /api/openapi.json': {
    tag: 'Reference',
    summary: 'This document',
    status: 200,
    schema: z.record(z.string(), z.unknown()),
    public: true,
  },
  'GET /api/docs': {
    tag: 'Reference',
    summary: 'The API reference page',
    status: 200,
    media: 'text/html',
    public: true,
  },
  'GET /api/docs/assets/:file': {
    tag: 'Reference',
    summary: 'Files of the reference page',
    status: 200,
    media: 'application/octet-stream',
    public: true,
  },
};
