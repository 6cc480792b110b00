import * as cheerio from 'cheerio';
import { IngestError } from '../errors.ts';
import { htmlToDocument } from './html.ts';
import type { Block, ParsedDocument } from './types.ts';
import { openZip, resolvePart } from './zip.ts';

const xml = (text: string) => cheerio.load(text, { xml: true });

/**
 * An EPUB e-book: the chapters listed in its spine, in reading order, each through the HTML
 * parser (headings kept); the navigation document and pages without text are left out.
 */
export async function parseEpub(bytes: Uint8Array): Promise<ParsedDocument> {
  const zip = await openZip(bytes, 'e-book');
  const container = await zip.text('META-INF/container.xml');
  const opfPath = container ? xml(container)('rootfile').first().attr('full-path') : undefined;
  const opfText = opfPath ? await zip.text(opfPath) : null;
  if (!opfPath || opfText === null) throw new IngestError('The e-book could not be read (no package document)');
  const $ = xml(opfText);
  const manifest = new Map<string, { href: string; type: string; nav: boolean }>();
  $('manifest > item').each((_, el) => {
    const item = $(el);
    manifest.set(item.attr('id') ?? '', {
      href: resolvePart(opfPath, decodeURIComponent(item.attr('href') ?? '')),
      type: item.attr('media-type') ?? '',
      nav: (item.attr('properties') ?? '').split(/\s+/).includes('nav'),
    });
  });
  const blocks: Block[] = [];
  for (const ref of $('spine > itemref').toArray()) {
    const item = manifest.get($(ref).attr('idref') ?? '');
    if (!item || item.nav || !/html/.test(item.type)) continue;
    const chapter = await zip.text(item.href);
    if (chapter === null) continue;
    try {
      blocks.push(...htmlToDocument(chapter, { keepChrome: true }).blocks);
    } catch (err) {
      if (!(err instanceof IngestError)) throw err;
    }
  }
  if (blocks.length === 0) throw new IngestError('The e-book contains no text');
  const title = $('metadata > dc\\:title, metadata > title').first().text().trim();
  return { title: title || null, blocks };
}
