import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(unixepoch('subsec') * 1000)`;
const createdAt = () => integer('created_at').notNull().default(now);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['user', 'admin'] })
    .notNull()
    .default('user'),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  locale: text('locale'),
  /** Bumped to end every session token issued before (password change or reset); tokens carry it as `gen`. */
  tokenGeneration: integer('token_generation').notNull().default(0),
  /** The one token of the older generation still honoured: the session that changed the password. */
  keptTokenId: text('kept_token_id'),
  createdAt: createdAt(),
});

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
    /** The knowledge bases the key may reach; null for all of its owner's. */
    kbIds: text('kb_ids', { mode: 'json' }).$type<string[]>(),
    /** Search, chat and `/v1` only: no uploads, edits or deletions. */
    readOnly: integer('read_only', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('api_keys_user').on(t.userId)],
);

export const knowledgeBases = sqliteTable(
  'knowledge_bases',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    chatModel: text('chat_model'),
    /** Tesseract languages for scanned pages and images, e.g. `chi_sim+eng`. */
    ocrLanguage: text('ocr_language').notNull().default('chi_sim+eng'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull().default(now),
    /** The passages (child chunks) of its completed documents; kept by triggers on `documents`. */
    passages: integer('passages').notNull().default(0),
    /** Counts every insert, update and delete of its documents; kept by triggers on `documents`. */
    contentVersion: integer('content_version').notNull().default(0),
  },
  (t) => [index('kbs_user').on(t.userId)],
);

export const kbRoles = ['owner', 'editor', 'viewer'] as const;
export type KbRole = (typeof kbRoles)[number];

/**
 * Who may use a knowledge base and how. Every KB has exactly one `owner` row; its creator's
 * id stays in `knowledge_bases.user_id`, which partitions the KB's files and vectors.
 */
export const kbMembers = sqliteTable(
  'kb_members',
  {
    kbId: text('kb_id')
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: kbRoles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.kbId, t.userId] }),
    index('kb_members_user').on(t.userId),
    uniqueIndex('kb_members_one_owner').on(t.kbId).where(sql`role = 'owner'`),
  ],
);

/** A metadata value: a string (dates as ISO 8601 strings), a number or a list of strings. */
export type MetadataValue = string | number | string[];
export type DocumentMetadata = Record<string, MetadataValue>;

export const documentStatuses = ['queued', 'processing', 'completed', 'failed'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

/**
 * Triggers on this table (migration 0008) keep `knowledge_bases.passages` and `content_version`:
 * a migration that rebuilds the table must create them again.
 */
export const documents = sqliteTable(
  'documents',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kbId: text('kb_id')
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    /** The page a web document was imported from; it is fetched again on reprocess. */
    sourceUrl: text('source_url'),
    status: text('status', { enum: documentStatuses }).notNull().default('queued'),
    progress: integer('progress').notNull().default(0),
    stage: text('stage'),
    error: text('error'),
    summary: text('summary'),
    title: text('title'),
    parentCount: integer('parent_count').notNull().default(0),
    childCount: integer('child_count').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    embeddingModel: text('embedding_model'),
    /** The text analysis its full-text rows were written with (`TEXT_INDEX_VERSION`). */
    textVersion: integer('text_version').notNull().default(1),
    /** Key/value facts about the document (string, number, date string, list of strings), filterable in search. */
    metadata: text('metadata', { mode: 'json' }).$type<DocumentMetadata>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull().default(now),
    completedAt: integer('completed_at'),
  },
  (t) => [index('documents_kb').on(t.kbId), index('documents_status').on(t.status)],
);

export const chunkLayers = ['document', 'parent', 'child'] as const;
export type ChunkLayer = (typeof chunkLayers)[number];

export const chunks = sqliteTable(
  'chunks',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    kbId: text('kb_id').notNull(),
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    parentId: text('parent_id'),
    layer: text('layer', { enum: chunkLayers }).notNull(),
    position: integer('position').notNull(),
    heading: text('heading'),
    page: integer('page'),
    content: text('content').notNull(),
    tokenCount: integer('token_count').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('chunks_document').on(t.documentId, t.layer, t.position),
    index('chunks_parent').on(t.parentId),
    index('chunks_kb_layer').on(t.kbId, t.layer),
  ],
);

export const notes = sqliteTable(
  'notes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kbId: text('kb_id')
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    content: text('content').notNull().default(''),
    shareToken: text('share_token').unique(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [index('notes_kb').on(t.kbId)],
);

export const chatSessions = sqliteTable(
  'chat_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kbId: text('kb_id')
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    model: text('model'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [index('chat_sessions_kb').on(t.kbId)],
);

export const chatMessages = sqliteTable(
  'chat_messages',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => chatSessions.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    role: text('role', { enum: ['user', 'assistant', 'system'] }).notNull(),
    content: text('content').notNull(),
    /** JSON array of citations for assistant messages. */
    citations: text('citations', { mode: 'json' }).$type<unknown[]>(),
    model: text('model'),
    createdAt: createdAt(),
  },
  (t) => [index('chat_messages_session').on(t.sessionId, t.createdAt)],
);

/** Background re-embedding runs when EMBEDDING_MODEL changes; one row per target model. */
export const embeddingIndexes = sqliteTable(
  'embedding_indexes',
  {
    model: text('model').primaryKey(),
    dimension: integer('dimension').notNull(),
    state: text('state', { enum: ['building', 'active', 'retired'] }).notNull(),
    progress: real('progress').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('embedding_indexes_active').on(t.state).where(sql`state = 'active'`)],
);

/** Warnings and errors from every service, shown on the admin console. */
export const serviceEvents = sqliteTable(
  'service_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    service: text('service').notNull(),
    level: text('level').notNull(),
    message: text('message').notNull(),
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [index('service_events_created').on(t.createdAt)],
);

/** Session tokens ended by logout before they expire; rows are pruned once past `expiresAt`. */
export const revokedTokens = sqliteTable(
  'revoked_tokens',
  {
    jti: text('jti').primaryKey(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('revoked_tokens_expires').on(t.expiresAt)],
);

export const accountRoles = ['user', 'admin'] as const;

/** Single-use sign-up links made by an admin; only the token's sha256 is kept. */
export const invitations = sqliteTable('invitations', {
  id: text('id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  /** When set, only this address may register with the invitation. */
  email: text('email'),
  role: text('role', { enum: accountRoles }).notNull().default('user'),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  usedBy: text('used_by').references(() => users.id, { onDelete: 'set null' }),
});

/** Single-use password reset links made by an admin for a user; only the token's sha256 is kept. */
export const passwordResets = sqliteTable(
  'password_resets',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('password_resets_user').on(t.userId)],
);

/**
 * Access changes, for administrators: sign-ups, invitations, roles, memberships, keys,
 * passwords, failed logins. Ids are kept as text without foreign keys so history outlives rows.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull().default(now),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_events_at').on(t.at)],
);

/** Sign-in and sign-up attempts per key (account or address) in fixed windows, shared by every door and process. */
export const authAttempts = sqliteTable(
  'auth_attempts',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    resetAt: integer('reset_at').notNull(),
  },
  (t) => [index('auth_attempts_reset').on(t.resetAt)],
);
