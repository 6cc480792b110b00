import { Readability } from '@mozilla/readability';
import * as cheerio from 'cheerio';
import { parseHTML } from 'linkedom';
import { IngestError } from '../errors.ts';
import type { Block, ParsedDocument } from './types.ts';

const CODE = 'script, style, noscript, template, iframe, svg, canvas';
const NOISE = `${CODE}, nav, header, footer, aside, form, button, select`;
/** Tables of contents and page navigation of common documentation generators (DocBook, Sphinx, MediaWiki). */
const NAVIGATION =
  '.toc, #toc, .navheader, .navfooter, .breadcrumb, .breadcrumbs, .sphinxsidebar, .related, .mw-editsection, [role="navigation"]';
const BLOCK_TAGS = new Set(
  'p div section article main li ul ol dl dt dd pre blockquote table tr br hr figure figcaption address details summary'.split(
    ' ',
  ),
);
const HEADING = /^h([1-6])$/;

type Api = cheerio.CheerioAPI;
type Node = ReturnType<ReturnType<Api>['contents']>[number];

/** Walks the DOM in reading order, cutting blocks at block-level tags and headings. */
function collect($: Api, root: Node, blocks: Block[]): void {
  let buffer = '';
  const flush = () => {
    const text = buffer
      .replace(/[ \t\f\v\u00a0]+/g, ' ')
      .replace(/\s*\n\s*/g, '\n')
      .replace(/\s*\|\s*$/, '')
      .replace(/([\u3400-\u9fff\u3000-\u303f\uff00-\uffef]) (?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])/g, '$1')
      .trim();
    if (text) blocks.push({ text });
    buffer = '';
  };
  const walk = (node: Node) => {
    if (node.type === 'text') {
      // Outside <pre>, a line break in the source is only a space (and none between Chinese characters).
      buffer += $(node).text().replace(/\s+/g, ' ');
      return;
    }
    if (node.type !== 'tag') return;
    const tag = node.tagName.toLowerCase();
    const heading = HEADING.exec(tag);
    if (heading?.[1]) {
      flush();
      const text = $(node).text().replace(/\s+/g, ' ').trim();
      if (text) blocks.push({ text, heading: Number(heading[1]) });
      return;
    }
    const isBlock = BLOCK_TAGS.has(tag);
    if (isBlock) flush();
    if (tag === 'pre') {
      buffer += $(node).text();
    } else if (tag === 'tr') {
      // A table row is one line, its cells separated as in a Markdown table, so no chunk cuts it.
      const cells = $(node)
        .children('td, th')
        .toArray()
        .map((cell) => $(cell).text().replace(/\s+/g, ' ').trim())
        .filter(Boolean);
      buffer += cells.join(' | ');
    } else {
      for (const child of $(node).contents().toArray()) walk(child);
    }
    if (isBlock) flush();
  };
  walk(root);
  flush();
}

/**
 * The main text of an HTML page: no scripts, styles, navigation, header or footer. With
 * `keepChrome` (an e-book chapter, where a header holds the chapter title) only code is dropped.
 */
export function htmlToDocument(html: string, opts: { keepChrome?: boolean } = {}): ParsedDocument {
  const $ = cheerio.load(html);
  const pageTitle = $('title').first().text().trim();
  $(opts.keepChrome ? CODE : `${NOISE}, ${NAVIGATION}`).remove();
  const main = $('main, article, [role="main"]').first();
  const body = $('body');
  const roots: Node[] = main.length > 0 ? main.toArray() : body.length > 0 ? body.toArray() : $.root().toArray();
  const blocks: Block[] = [];
  for (const node of roots) collect($, node, blocks);
  if (blocks.length === 0) throw new IngestError('The page contains no readable text');
  const h1 = blocks.find((b) => b.heading === 1)?.text;
  return { title: pageTitle || h1 || null, blocks };
}

/**
 * The article of a web page as Mozilla's Readability (Firefox Reader View) finds it, then
 * through `htmlToDocument` for headings and blocks; the whole page's main text when
 * Readability finds no article.
 */
export function mainContentToDocument(html: string): ParsedDocument {
  const { document } = parseHTML(html);
  const article = new Readability(document as unknown as Document, { charThreshold: 200 }).parse();
  if (!article?.content || (article.textContent ?? '').trim().length < 200) return htmlToDocument(html);
  const parsed = htmlToDocument(`<body>${article.content}</body>`);
  return { ...parsed, title: article.title?.trim() || parsed.title };
}
