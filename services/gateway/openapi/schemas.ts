import { z } from 'zod';
import { chunkLayers, documentStatuses, kbRoles } from '../../core/db/schema.ts';
import { metadataSchema } from '../../core/documents/metadata.ts';
import { difyRecordSchema } from '../../core/integrations/dify.ts';
import { searchModes } from '../../core/search/types.ts';

/**
 * What the public API answers, as zod schemas: the OpenAPI document's response schemas. The
 * contract test parses real answers with them, so a change to an answer shows up here.
 */
const ms = z.number().int().describe('Milliseconds since the Unix epoch');
const nullable = <T extends z.ZodType>(t: T) => t.nullable();

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('snake_case, stable: branch on it'),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['user', 'admin']),
    disabled: z.boolean(),
    createdAt: ms,
  })
  .meta({ id: 'User' });

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    kbIds: nullable(z.array(z.string())).describe('The KBs the key may reach; null for all of its owner’s'),
    readOnly: z.boolean(),
    createdAt: ms,
    lastUsedAt: nullable(ms),
    revokedAt: nullable(ms),
  })
  .meta({ id: 'ApiKey' });

export const kbSchema = z
  .object({
    id: z.string(),
    userId: z.string().describe('The creator, whose partition holds the KB’s files and vectors'),
    title: z.string(),
    description: z.string(),
    chatModel: nullable(z.string()),
    ocrLanguage: z.string(),
    createdAt: ms,
    updatedAt: ms,
    role: z.enum(kbRoles).describe('The caller’s role on this KB'),
  })
  .meta({ id: 'KnowledgeBase' });

export const memberSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    role: z.enum(kbRoles),
    createdAt: ms,
  })
  .meta({ id: 'Member' });

export const invitationSchema = z
  .object({
    id: z.string(),
    email: nullable(z.string()),
    role: z.enum(['user', 'admin']),
    state: z.enum(['pending', 'used', 'expired']),
    createdBy: nullable(z.string()),
    createdAt: ms,
    expiresAt: ms,
    usedAt: nullable(ms),
    usedBy: nullable(z.string()),
  })
  .meta({ id: 'Invitation' });

export const auditEventSchema = z
  .object({
    id: z.number().int(),
    at: ms,
    actorId: nullable(z.string()),
    action: z.string(),
    targetType: z.string(),
    targetId: nullable(z.string()),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

export const documentSchema = z
  .object({
    id: z.string(),
    kbId: z.string(),
    fileName: z.string(),
    mimeType: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    status: z.enum(documentStatuses),
    progress: z.number().int().min(0).max(100),
    stage: nullable(z.string()),
    error: nullable(z.string()),
    title: nullable(z.string()),
    summary: nullable(z.string()),
    parentCount: z.number().int(),
    childCount: z.number().int(),
    attempts: z.number().int(),
    sourceUrl: nullable(z.string()),
    metadata: metadataSchema,
    createdAt: ms,
    updatedAt: ms,
    completedAt: nullable(ms),
  })
  .meta({ id: 'Document' });

export const chunkSchema = z
  .object({
    id: z.string(),
    layer: z.enum(chunkLayers),
    position: z.number().int(),
    parentId: nullable(z.string()),
    heading: nullable(z.string()),
    page: nullable(z.number().int()),
    content: z.string(),
    tokenCount: z.number().int(),
  })
  .meta({ id: 'Chunk' });

const scored = z.object({
  id: z.string(),
  content: z.string(),
  score: z.number(),
  reranked: z.literal(true).optional(),
  retrievalScore: z.number().optional(),
});

export const searchResultSchema = z
  .object({
    mode: z.enum(searchModes),
    query: z.string(),
    tookMs: z.number(),
    hits: z.array(
      z.object({
        document: z.object({
          id: z.string(),
          fileName: z.string(),
          summary: z.string(),
          score: z.number(),
          metadata: metadataSchema,
        }),
        parent: scored,
        children: z.array(
          scored.extend({
            signals: z
              .object({
                text: z.number().optional(),
                vector: z.number().optional(),
                section: z.number(),
                document: z.number(),
              })
              .optional(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'SearchResult' });

export const noteSchema = z
  .object({
    id: z.string(),
    kbId: z.string(),
    title: z.string(),
    content: z.string(),
    shared: z.boolean(),
    createdAt: ms,
    updatedAt: ms,
  })
  .meta({ id: 'Note' });

export const sessionSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    kbId: z.string(),
    title: z.string(),
    model: nullable(z.string()),
    createdAt: ms,
    updatedAt: ms,
  })
  .meta({ id: 'ChatSession' });

export const citationSchema = z
  .object({
    index: z.number().int().describe('The [n] marker in the answer'),
    documentId: z.string(),
    parentId: z.string(),
    childId: z.string(),
    fileName: z.string(),
    quote: z.string(),
    score: z.number(),
  })
  .meta({ id: 'Citation' });

export const messageSchema = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    role: z.enum(['user', 'assistant', 'system']),
    content: z.string(),
    citations: z.array(citationSchema),
    model: nullable(z.string()),
    createdAt: ms,
  })
  .meta({ id: 'ChatMessage' });

export const healthSchema = z.object({ status: z.literal('ok'), service: z.string() });
export const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  service: z.string(),
  checks: z.array(
    z.object({
      name: z.string(),
      required: z.boolean(),
      ok: z.boolean(),
      detail: z.string().optional(),
      ms: z.number(),
    }),
  ),
});

export const openAiModelsSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ id: z.string(), object: z.literal('model'), created: z.number(), owned_by: z.string() })),
});
export const openAiCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number(),
      message: z.object({ role: z.literal('assistant'), content: z.string() }),
      finish_reason: z.string(),
    }),
  ),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }),
  citations: z.array(citationSchema).optional(),
});

export const difyAnswerSchema = z.object({ records: z.array(difyRecordSchema) });
export const difyErrorSchema = z.object({
  error_code: z.number().int().describe('1001 bad Authorization header, 1002 authorization failed, 2001 no such KB'),
  error_msg: z.string(),
});
export const jsonRpcSchema = z
  .object({ jsonrpc: z.literal('2.0') })
  .loose()
  .describe('A JSON-RPC 2.0 message of the Model Context Protocol');

const jsonRpcCall = z
  .object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number()]).optional().describe('Absent for a notification'),
    method: z.string().describe('`initialize`, `tools/list`, `tools/call`, …'),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export const jsonRpcRequestSchema = z
  .union([jsonRpcCall, z.array(jsonRpcCall)])
  .describe('A JSON-RPC 2.0 request or notification of the Model Context Protocol (or a batch)');

export const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
