import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Principal } from '../../core/access/index.ts';
import { prepareAnswer } from '../../core/chat/answer.ts';
import type { Deps } from '../../core/deps.ts';
import { getDocument, listChunks } from '../../core/documents/index.ts';
import { AppError } from '../../core/errors.ts';
import { listKbs } from '../../core/kbs/index.ts';
import type { Logger } from '../../core/logger.ts';
import { metadataFilterSchema } from '../../core/search/filter.ts';
import { MAX_QUERY_CHARS, MAX_TOP_K, search } from '../../core/search/index.ts';
import { searchModes } from '../../core/search/types.ts';

/** Sections of `get_document` stop after this many characters of text, so one call fits a model's context. */
export const MAX_DOCUMENT_CHARS = 40_000;

const id = (what: string) => z.string().trim().min(1).max(100).describe(what);

const json = (value: unknown): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
});

/**
 * Runs a tool. What goes wrong comes back as a tool error the model can read (a KB it cannot
 * see, a bad filter), never as a dropped connection; an unexpected failure is logged and
 * answered without its internals.
 */
async function run(logger: Logger, tool: string, fn: () => Promise<unknown> | unknown): Promise<CallToolResult> {
  try {
    return json(await fn());
  } catch (err) {
    const message = err instanceof AppError ? err.message : 'Something went wrong on our side; the error was logged';
    if (!(err instanceof AppError)) logger.error({ err, tool }, 'MCP tool failed');
    return { isError: true, content: [{ type: 'text', text: message }] };
  }
}

/** The MCP server of one caller: four tools over the knowledge bases their API key reaches. */
export function knowledgeServer(deps: Deps, who: Principal, logger: Logger, version: string): McpServer {
  const server = new McpServer(
    { name: 'context-os', title: 'Context OS knowledge bases', version },
    {
      instructions:
        'Call list_knowledge_bases first to learn the knowledge base ids, then search_knowledge_base for passages, ' +
        'get_document to read a whole document, or ask_knowledge_base for an answer with citations.',
    },
  );

  server.registerTool(
    'list_knowledge_bases',
    {
      title: 'List knowledge bases',
      description:
        'Lists the knowledge bases this API key can read: id, title, description and your role. ' +
        'Use an id from here as kbId in the other tools.',
      annotations: { readOnlyHint: true },
    },
    () =>
      run(logger, 'list_knowledge_bases', () => ({
        knowledgeBases: listKbs(deps.db, who).map((kb) => ({
          id: kb.id,
          title: kb.title,
          description: kb.description,
          role: kb.role,
        })),
      })),
  );

  server.registerTool(
    'search_knowledge_base',
    {
      title: 'Search a knowledge base',
      description:
        'Finds the passages of a knowledge base that best answer a query; use it to gather evidence to quote or reason ' +
        'over (ask_knowledge_base gives a ready answer instead). Each hit names its document ' +
        '(id, file name, metadata), the section it comes from (id and text) and its best passages (id, text, score). ' +
        'Narrow to documents by metadata with filter, e.g. {"conditions":[{"name":"year","comparison_operator":"≥","value":2024}]}.',
      inputSchema: {
        kbId: id('The knowledge base id, from list_knowledge_bases'),
        query: z.string().trim().min(1).max(MAX_QUERY_CHARS).describe('What to look for, in natural language'),
        mode: z
          .enum(searchModes)
          .optional()
          .describe(
            'drill-down (default): the best documents, then their best sections, then passages inside them; ' +
              'drill-down-relaxed: the same over more documents and sections, for questions that span documents; ' +
              'flat: the best passages across the whole KB, whatever document they are in',
          ),
        topK: z.number().int().min(1).max(MAX_TOP_K).optional().describe('How many passages (default 5)'),
        filter: metadataFilterSchema
          .optional()
          .describe(
            'Only documents whose metadata meets these conditions (joined by logical_operator "and", the default, ' +
              'or "or"); the names are those shown in hits and by get_document. Operators: contains, not contains, ' +
              'start with, end with, is, is not, in, not in (text and lists); empty, not empty (no value needed); ' +
              '=, ≠, >, <, ≥, ≤ (numbers); before, after (dates as ISO 8601 or Unix seconds)',
          ),
      },
      annotations: { readOnlyHint: true },
    },
    ({ kbId, query, mode, topK, filter }) =>
      run(logger, 'search_knowledge_base', async () => {
        const result = await search(deps, who, {
          kbId,
          query,
          mode,
          topK,
          ...(filter && { filter: { metadata: filter } }),
        });
        return {
          mode: result.mode,
          hits: result.hits.map((h) => ({
            document: { id: h.document.id, fileName: h.document.fileName, metadata: h.document.metadata },
            section: { id: h.parent.id, text: h.parent.content, score: h.parent.score },
            passages: h.children.map((c) => ({ id: c.id, text: c.content, score: c.score })),
          })),
        };
      }),
  );

  server.registerTool(
    'get_document',
    {
      title: 'Read a document',
      description:
        'Reads one document: its file name, metadata, ingest status, summary and its sections (id, heading, text) ' +
        `in reading order, up to ${MAX_DOCUMENT_CHARS} characters of section text. Take the id from a search hit.`,
      inputSchema: { documentId: id('The document id, from a search hit') },
      annotations: { readOnlyHint: true },
    },
    ({ documentId }) =>
      run(logger, 'get_document', () => {
        const doc = getDocument(deps.db, who, documentId);
        let budget = MAX_DOCUMENT_CHARS;
        const sections = listChunks(deps.db, who, documentId, 'parent').map((s) => {
          const text = s.content.slice(0, Math.max(0, budget));
          budget -= s.content.length;
          return { id: s.id, heading: s.heading, text, ...(text.length < s.content.length && { truncated: true }) };
        });
        return {
          id: doc.id,
          kbId: doc.kbId,
          fileName: doc.fileName,
          title: doc.title,
          status: doc.status,
          metadata: doc.metadata,
          summary: doc.summary,
          sections,
        };
      }),
  );

  server.registerTool(
    'ask_knowledge_base',
    {
      title: 'Ask a knowledge base',
      description:
        'Answers a question from the passages of a knowledge base, with numbered citations [n] naming the ' +
        'document and quoting the passage. Without a language model configured the answer quotes the best sentences.',
      inputSchema: {
        kbId: id('The knowledge base id, from list_knowledge_bases'),
        question: z.string().trim().min(1).max(8000).describe('The question, in any language'),
      },
      annotations: { readOnlyHint: true },
    },
    ({ kbId, question }, extra) =>
      run(logger, 'ask_knowledge_base', async () => {
        const prepared = await prepareAnswer(deps, who, { kbId, question });
        const answer = await prepared.complete(extra.signal);
        return {
          answer,
          model: prepared.model,
          citations: prepared.citations.map((c) => ({
            index: c.index,
            documentId: c.documentId,
            fileName: c.fileName,
            sectionId: c.parentId,
            passageId: c.childId,
            quote: c.quote,
          })),
        };
      }),
  );

  return server;
}
