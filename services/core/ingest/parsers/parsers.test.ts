import { describe, expect, it } from 'vitest';
import { makeDocx, makeGbk, makePdf, makePng, makeZip } from '../../../../tests/ingest/fixtures.ts';
import { detectFileKind, parseFile } from './index.ts';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const texts = (doc: { blocks: Array<{ text: string }> }) => doc.blocks.map((b) => b.text).join('\n');

describe('file kind detection', () => {
  it('accepts each supported type by name and content', () => {
    expect(detectFileKind('a.txt', utf8('hello'))).toBe('text');
    expect(detectFileKind('a.md', utf8('# hi'))).toBe('markdown');
    expect(detectFileKind('a.html', utf8('<p>hi</p>'))).toBe('html');
    expect(detectFileKind('a.pdf', makePdf(['hi']))).toBe('pdf');
    expect(detectFileKind('a.docx', makeDocx([{ text: 'hi' }]))).toBe('docx');
    expect(detectFileKind('gbk.txt', makeGbk('第一章 总则'))).toBe('text');
    expect(detectFileKind('README', utf8('plain words'))).toBe('text');
    expect(detectFileKind('page', utf8('<!DOCTYPE html><html><body>x</body></html>'))).toBe('html');
  });

  it('refuses disguised and unsupported files with 415', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['image.pdf', makePng()],
      ['image.txt', makePng()],
      ['archive.docx', makeZip({ 'notes.txt': 'not word' })],
      ['tool.txt', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0])],
      ['doc.txt', makePdf(['hidden pdf'])],
      ['photo.png', makePdf(['a pdf named png'])],
      ['noext', makeZip({ 'a.txt': 'just a zip' })],
    ];
    for (const [name, bytes] of cases) {
      expect(() => detectFileKind(name, bytes), name).toThrow(expect.objectContaining({ code: 'unsupported_type' }));
    }
  });
});

describe('parsers', () => {
  it('decodes GBK text and finds Chinese numbered headings', async () => {
    const doc = await parseFile(
      'text',
      makeGbk('第一章 总则\n本制度适用于全体员工。\n\n一、适用范围\n数据库每日增量备份。'),
    );
    expect(texts(doc)).toContain('本制度适用于全体员工。');
    expect(doc.blocks.filter((b) => b.heading !== undefined).map((b) => [b.text, b.heading])).toEqual([
      ['第一章 总则', 1],
      ['一、适用范围', 2],
    ]);
    expect(doc.title).toBe('第一章 总则');
  });

  it('reads UTF-16 text saved with a byte order mark', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('第一章 总则\n统一编码。', 'utf16le')]);
    expect(detectFileKind('unicode.txt', le)).toBe('text');
    expect(texts(await parseFile('text', le))).toBe('第一章 总则\n统一编码。');
  });

  it('reads Markdown headings, front matter title and fenced code', async () => {
    const md =
      '---\ntitle: "Ops Handbook"\n---\n# Backups\nRun them nightly.\n\n```sh\n# not a heading\nbackup --all\n```\n## 1.2 Restore\nTest restores.';
    const doc = await parseFile('markdown', utf8(md));
    expect(doc.title).toBe('Ops Handbook');
    expect(doc.blocks.filter((b) => b.heading).map((b) => b.text)).toEqual(['Backups', '1.2 Restore']);
    expect(texts(doc)).toContain('# not a heading\nbackup --all');
  });

  it('keeps only the main text of HTML', async () => {
    const html = `<html><head><title>Guide</title><style>.x{color:red}</style><script>alert('x')</script></head>
      <body><nav>Home | About</nav><header>Site header</header>
      <main><h1>Install</h1><p>Run <b>npm install</b> first.</p><ul><li>Step one</li><li>Step two</li></ul></main>
      <footer>Copyright</footer></body></html>`;
    const doc = await parseFile('html', utf8(html));
    const all = texts(doc);
    expect(doc.title).toBe('Guide');
    expect(all).toContain('Run npm install first.');
    expect(all).toContain('Step two');
    for (const noise of ['alert', 'color:red', 'Home | About', 'Site header', 'Copyright'])
      expect(all).not.toContain(noise);
    expect(doc.blocks[0]).toEqual({ text: 'Install', heading: 1 });
  });

  it('joins lines wrapped mid-sentence and keeps list items and table rows on their own lines', async () => {
    const md =
      '# Redis\nA job queue such as BullMQ or\nSidekiq needs the noeviction policy.\n- first item\n- second item\n\n' +
      '缓存服务器的内存\n策略应当设为不淘汰。\n\n| key | value |\n| a | b |';
    const all = texts(await parseFile('markdown', utf8(md)));
    expect(all).toContain(
      'A job queue such as BullMQ or Sidekiq needs the noeviction policy.\n- first item\n- second item',
    );
    expect(all).toContain('缓存服务器的内存策略应当设为不淘汰。');
    expect(all).toContain('| key | value |\n| a | b |');
  });

  it('reads line breaks of the HTML source as spaces, none between Chinese characters', async () => {
    const html =
      '<body><p>维护者指导\n  文档的内容\n请使用新的 tutorial\n  instead.</p><pre>line one\nline two</pre></body>';
    const all = texts(await parseFile('html', utf8(html)));
    expect(all).toContain('维护者指导文档的内容请使用新的 tutorial instead.');
    expect(all).toContain('line one\nline two');
  });

  it('drops tables of contents and navigation bars of generated manuals', async () => {
    const html = `<body><div class="navheader"><table><tr><td>Prev</td><td>Chapter 5</td></tr></table></div>
      <div class="toc"><dl><dt>5.1 Basic network</dt></dl></div><h1>Network setup</h1><p>Text.</p>
      <div class="navfooter">Next chapter</div></body>`;
    const all = texts(await parseFile('html', utf8(html)));
    expect(all).toContain('Text.');
    for (const noise of ['Prev', '5.1 Basic network', 'Next chapter']) expect(all).not.toContain(noise);
  });

  it('keeps each table row on one line', async () => {
    const html = '<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Basic</td><td>10 USD</td></tr></table>';
    const doc = await parseFile('html', utf8(html));
    expect(doc.blocks.map((b) => b.text)).toEqual(['Plan | Price', 'Basic | 10 USD']);
  });

  it('extracts PDF text with page numbers', async () => {
    const doc = await parseFile('pdf', makePdf(['Quarterly report\nRevenue grew strongly.', 'Costs (fixed) fell.']));
    expect(doc.blocks.map((b) => b.page)).toEqual([1, 2]);
    expect(texts(doc)).toContain('Revenue grew strongly.');
    expect(texts(doc)).toContain('Costs (fixed) fell.');
  });

  it('keeps DOCX headings', async () => {
    const doc = await parseFile(
      'docx',
      makeDocx([
        { text: 'Policy', style: 'Heading1' },
        { text: 'Everyone signs in.' },
        { text: 'Scope', style: 'Heading2' },
      ]),
    );
    expect(doc.blocks).toEqual([
      { text: 'Policy', heading: 1 },
      { text: 'Everyone signs in.' },
      { text: 'Scope', heading: 2 },
    ]);
  });

  it('fails with a readable reason for broken files', async () => {
    await expect(parseFile('pdf', utf8('%PDF-1.4\ngarbage without objects'))).rejects.toMatchObject({
      name: 'IngestError',
      message: expect.stringMatching(/PDF could not be read/),
    });
    await expect(parseFile('docx', makeZip({ 'word/document.xml': '<not-xml' }))).rejects.toMatchObject({
      name: 'IngestError',
    });
    await expect(parseFile('pdf', makePdf(['']))).rejects.toMatchObject({
      message: expect.stringMatching(/No text was found in the PDF, neither in a text layer nor by OCR/),
    });
    await expect(parseFile('text', utf8('  \n\n '))).rejects.toMatchObject({ message: 'The file contains no text' });
  });
});
