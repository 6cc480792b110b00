import * as cheerio from 'cheerio';
import { IngestError } from '../errors.ts';
import type { Block, ParsedDocument } from './types.ts';
import { openZip, resolvePart, type ZipParts } from './zip.ts';

const xml = (text: string) => cheerio.load(text, { xml: true });
type Xml = ReturnType<typeof xml>;

/** Relationship targets of a part by id, and by type (the last segment of the type URI). */
async function relationships(zip: ZipParts, part: string) {
  const rels = part.replace(/([^/]+)$/, '_rels/$1.rels');
  const $ = xml((await zip.text(rels)) ?? '<Relationships/>');
  const byId = new Map<string, string>();
  const byType = new Map<string, string>();
  $('Relationship').each((_, el) => {
    const target = resolvePart(part, $(el).attr('Target') ?? '');
    byId.set($(el).attr('Id') ?? '', target);
    byType.set(($(el).attr('Type') ?? '').split('/').pop() ?? '', target);
  });
  return { byId, byType };
}

/** The paragraphs of the shapes in a slide or notes part, with each shape's placeholder type. */
function shapes($: Xml): Array<{ placeholder: string | null; paragraphs: string[] }> {
  return $('p\\:sp, p\\:graphicFrame')
    .toArray()
    .map((shape) => {
      const ph = $(shape).find('p\\:nvPr p\\:ph').first();
      const placeholder = ph.length > 0 ? (ph.attr('type') ?? 'body') : null;
      const paragraphs = $(shape)
        .find('a\\:p')
        .toArray()
        .map((p) =>
          $(p)
            .find('a\\:t')
            .toArray()
            .map((t) => $(t).text())
            .join('')
            .trim(),
        )
        .filter(Boolean);
      return { placeholder, paragraphs };
    });
}

const isTitle = (ph: string | null) => ph === 'title' || ph === 'ctrTitle';
/** Slide number, date and footer placeholders: the same on every slide, no content. */
const CHROME = new Set(['sldNum', 'dt', 'ftr']);
const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

/** A PowerPoint deck: each slide a section (its title the heading), speaker notes included. */
export async function parsePptx(bytes: Uint8Array): Promise<ParsedDocument> {
  const zip = await openZip(bytes, 'presentation');
  const presentation = await zip.text('ppt/presentation.xml');
  if (presentation === null) throw new IngestError('The presentation could not be read (no ppt/presentation.xml)');
  const { byId } = await relationships(zip, 'ppt/presentation.xml');
  const $p = xml(presentation);
  const slideParts = $p('p\\:sldIdLst p\\:sldId')
    .toArray()
    .map((el) => byId.get($p(el).attr('r:id') ?? ''))
    .filter((p): p is string => Boolean(p));
  const blocks: Block[] = [];
  for (const [i, part] of slideParts.entries()) {
    const slide = await zip.text(part);
    if (slide === null) continue;
    const page = i + 1;
    const found = shapes(xml(slide));
    const title = found.find((s) => isTitle(s.placeholder))?.paragraphs.join(' ') ?? '';
    blocks.push({ text: title ? `${page}. ${title}` : String(page), heading: 1, page });
    for (const s of found) {
      if (isTitle(s.placeholder) || CHROME.has(s.placeholder ?? '')) continue;
      for (const text of s.paragraphs) blocks.push({ text, page });
    }
    const notesPart = (await relationships(zip, part)).byType.get('notesSlide');
    const notesXml = notesPart ? await zip.text(notesPart) : null;
    if (notesXml) {
      const notes = shapes(xml(notesXml))
        .filter((s) => s.placeholder === 'body')
        .flatMap((s) => s.paragraphs)
        .join('\n');
      if (notes) blocks.push({ text: `${hasHan(notes) ? '演讲者备注：' : 'Speaker notes: '}${notes}`, page });
    }
  }
  if (!blocks.some((b) => b.heading === undefined)) throw new IngestError('The presentation contains no text');
  const first = blocks.find((b) => b.heading !== undefined)?.text.replace(/^\d+\.\s*/, '') ?? null;
  return { title: first && !/^\d+$/.test(first) ? first : null, blocks };
}
