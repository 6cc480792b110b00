import { Hono } from 'hono';
import { z } from 'zod';
import { kbAccess } from '../../core/access/index.ts';
import { addMember, listMembers, removeMember, updateMember } from '../../core/access/members.ts';
import { spendMemberLookup } from '../../core/auth/attempts.ts';
import { assertKnownModel } from '../../core/chat/models.ts';
import type { Deps } from '../../core/deps.ts';
import { assertOcrLanguage, OCR_LANGUAGE_PATTERN } from '../../core/ingest/ocr/tesseract.ts';
import { deleteKb } from '../../core/kbs/delete.ts';
import { createKb, getKb, listKbs, updateKb } from '../../core/kbs/index.ts';
import type { AppEnv } from '../../http/env.ts';
import { validate } from '../../http/validate.ts';

const title = z.string().trim().min(1, 'must not be empty').max(200);
const description = z.string().max(2000);
const chatModel = z.string().trim().min(1).max(200).nullable();
const ocrLanguage = z
  .string()
  .trim()
  .regex(OCR_LANGUAGE_PATTERN, 'must be Tesseract language codes joined by +, such as chi_sim+eng');
const createBody = z.strictObject({
  title,
  description: description.optional(),
  chatModel: chatModel.optional(),
  ocrLanguage: ocrLanguage.optional(),
});
const patchBody = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    chatModel: chatModel.optional(),
    ocrLanguage: ocrLanguage.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');
const memberRole = z.enum(['viewer', 'editor']);
const addMemberBody = z.strictObject({ email: z.string().trim().min(1).max(254), role: memberRole });
const patchMemberBody = z.strictObject({ role: memberRole });

/** Knowledge bases, each visible to its members with their role; the owner manages it and its members. */
export function kbRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .get('/', (c) => c.json({ items: listKbs(deps.db, c.get('principal')) }))
    .post('/', validate('json', createBody), async (c) => {
      const body = c.req.valid('json');
      if (body.chatModel) await assertKnownModel(deps, body.chatModel);
      if (body.ocrLanguage) await assertOcrLanguage(body.ocrLanguage);
      return c.json({ kb: createKb(deps.db, c.get('principal'), body) }, 201);
    })
    .get('/:kbId', (c) => c.json({ kb: getKb(deps.db, c.get('principal'), c.req.param('kbId')) }))
    .patch('/:kbId', validate('json', patchBody), async (c) => {
      const body = c.req.valid('json');
      const who = c.get('principal');
      // Only the owner changes a KB: checked before the model or language is looked up.
      kbAccess(deps.db, who, c.req.param('kbId'), 'manage');
      if (body.chatModel) await assertKnownModel(deps, body.chatModel);
      if (body.ocrLanguage) await assertOcrLanguage(body.ocrLanguage);
      return c.json({ kb: updateKb(deps.db, who, c.req.param('kbId'), body) });
    })
    .delete('/:kbId', async (c) => {
      await deleteKb(deps, c.get('principal'), c.req.param('kbId'));
      return c.body(null, 204);
    })
    .get('/:kbId/members', (c) => c.json({ items: listMembers(deps.db, c.get('principal'), c.req.param('kbId')) }))
    .post('/:kbId/members', validate('json', addMemberBody), (c) => {
      const who = c.get('principal');
      kbAccess(deps.db, who, c.req.param('kbId'), 'manage');
      spendMemberLookup(deps.db, who.userId);
      return c.json({ member: addMember(deps.db, who, c.req.param('kbId'), c.req.valid('json')) }, 201);
    })
    .patch('/:kbId/members/:userId', validate('json', patchMemberBody), (c) =>
      c.json({
        member: updateMember(
          deps.db,
          c.get('principal'),
          c.req.param('kbId'),
          c.req.param('userId'),
          c.req.valid('json').role,
        ),
      }),
    )
    .delete('/:kbId/members/:userId', (c) => {
      removeMember(deps.db, c.get('principal'), c.req.param('kbId'), c.req.param('userId'));
      return c.body(null, 204);
    });
}
