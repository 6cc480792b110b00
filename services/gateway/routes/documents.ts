import { Hono } from 'hono';
import { z } from 'zod';
import { chunkLayers } from '../../core/db/schema.ts';
import type { Deps } from '../../core/deps.ts';
import { createDocument } from '../../core/documents/create.ts';
import { deleteDocument } from '../../core/documents/delete.ts';
import { getDocument, listChunks, listDocuments } from '../../core/documents/index.ts';
import { metadataSchema, parseMetadataField, setDocumentMetadata } from '../../core/documents/metadata.ts';
import { reprocessDocument } from '../../core/documents/reprocess.ts';
import { createUrlDocument } from '../../core/documents/url.ts';
import { AppError } from '../../core/errors.ts';
import { requireUser } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import { validate } from '../../http/validate.ts';

const uploadForm = z.object({
  file: z
    .instanceof(File, { message: 'must be a file (multipart field "file")' })
    .meta({ type: 'string', format: 'binary', description: 'The document (PDF, DOCX, HTML, Markdown, text, …)' }),
  metadata: z
    .string()
    .max(64 * 1024)
    .optional()
    .describe('A JSON object of metadata for the document'),
});
const urlBody = z.strictObject({
  url: z.string().trim().min(1, 'must not be empty').max(2048),
  metadata: metadataSchema.optional(),
});
const patchBody = z.strictObject({ metadata: metadataSchema });
const chunksQuery = z.object({ layer: z.enum(chunkLayers).optional() });

/**
 * Documents: upload into a KB or import a web page (202, processed in the background), with metadata; list, read
 * with ingest state, set metadata, chunks by layer, reprocess, delete. Every route answers 404 for another user's data.
 */
export function documentRoutes(deps: Deps) {
  const limitBytes = deps.config.MAX_UPLOAD_MB * 1024 * 1024;
  return new Hono<AppEnv>()
    .use('/kbs/*', requireUser)
    .use('/documents/*', requireUser)
    .post('/kbs/:kbId/documents', validate('form', uploadForm), async (c) => {
      const form = c.req.valid('form');
      const { file } = form;
      if (file.size > limitBytes) {
        throw new AppError('payload_too_large', `The file is larger than ${deps.config.MAX_UPLOAD_MB} MB`);
      }
      const metadata = parseMetadataField(form.metadata);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const document = await createDocument(deps, c.get('principal'), c.req.param('kbId'), {
        fileName: file.name,
        bytes,
        metadata,
      });
      return c.json({ document }, 202);
    })
    .post('/kbs/:kbId/documents/url', validate('json', urlBody), async (c) => {
      const { url, metadata } = c.req.valid('json');
      const document = await createUrlDocument(deps, c.get('principal'), c.req.param('kbId'), url, metadata);
      return c.json({ document }, 202);
    })
    .get('/kbs/:kbId/documents', (c) =>
      c.json({ items: listDocuments(deps.db, c.get('principal'), c.req.param('kbId')) }),
    )
    .get('/documents/:docId', (c) =>
      c.json({ document: getDocument(deps.db, c.get('principal'), c.req.param('docId')) }),
    )
    .patch('/documents/:docId', validate('json', patchBody), (c) =>
      c.json({
        document: setDocumentMetadata(deps.db, c.get('principal'), c.req.param('docId'), c.req.valid('json').metadata),
      }),
    )
    .get('/documents/:docId/chunks', validate('query', chunksQuery), (c) =>
      c.json({
        items: listChunks(deps.db, c.get('principal'), c.req.param('docId'), c.req.valid('query').layer),
      }),
    )
    .post('/documents/:docId/reprocess', async (c) =>
      c.json({ document: await reprocessDocument(deps, c.get('principal'), c.req.param('docId')) }, 202),
    )
    .delete('/documents/:docId', async (c) => {
      await deleteDocument(deps, c.get('principal'), c.req.param('docId'));
      return c.body(null, 204);
    });
}
