import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { docxBomb } from '../../../../tests/contract/zip-bomb.ts';
import { IngestError } from '../errors.ts';
import { DEFAULT_PARSE_LIMITS, IsolatedParser } from './isolated.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../tests/fixtures/documents/${name}`, import.meta.url));

describe('IsolatedParser', () => {
  const parsers: IsolatedParser[] = [];
  const make = (limits = {}) => {
    const p = new IsolatedParser({ ...DEFAULT_PARSE_LIMITS, ...limits });
    parsers.push(p);
    return p;
  };
  afterEach(() => {
    for (const p of parsers.splice(0)) p.close();
  });

  it('parses in a child process and reuses it for the next file', async () => {
    const parser = make();
    const doc = await parser.parse('markdown', new TextEncoder().encode('# Title\n\nSome text here.'));
    expect(doc.blocks.map((b) => b.text)).toContain('Some text here.');
    const again = await parser.parse('text', new TextEncoder().encode('plain words'));
    expect(again.blocks[0]?.text).toBe('plain words');
  });

  it('ends the parsing process once idle and starts a fresh one for the next file', async () => {
    const parser = make({ idleMs: 200 });
    await parser.parse('text', new TextEncoder().encode('first'));
    expect(parser.running).toBe(true);
    const deadline = Date.now() + 10_000;
    while (parser.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(parser.running).toBe(false);
    const next = await parser.parse('text', new TextEncoder().encode('second'));
    expect(next.blocks[0]?.text).toBe('second');
  });

  it('ends the parsing process on release, but never under a parse in progress', async () => {
    const parser = make();
    const parsing = parser.parse('text', new TextEncoder().encode('in progress'));
    parser.release();
    expect((await parsing).blocks[0]?.text).toBe('in progress');
    expect(parser.running).toBe(true);
    parser.release();
    expect(parser.running).toBe(false);
  });

  it('passes a broken file on as a readable IngestError', async () => {
    await expect(make().parse('pdf', new TextEncoder().encode('%PDF-1.4 garbage'))).rejects.toBeInstanceOf(IngestError);
  });

  it('fails a zip bomb on the child heap limit, leaves this process unharmed and parses the next file', async () => {
    const parser = make({ maxMemoryMb: 96 });
    const err = await parser.parse('docx', docxBomb(120)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as Error).message).toMatch(/expands beyond 96 MB/);
    const next = await parser.parse('text', new TextEncoder().encode('still working'));
    expect(next.blocks[0]?.text).toBe('still working');
  }, 60_000);

  it('refuses a document whose text is beyond the character limit', async () => {
    const text = new TextEncoder().encode('word '.repeat(2000));
    await expect(make({ maxTextChars: 1000 }).parse('text', text)).rejects.toThrow(/million characters/);
  });

  it('gives up on a parse that outlives its deadline and parses the next file', async () => {
    const parser = make({ timeoutMs: 300, ocrPageMs: 0 });
    const err = await parser.parse('png', fixture('excerpt.png')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    // Which deadline message depends on whether OCR had started when the deadline struck (on a
    // loaded machine loading the OCR code alone can outlast 300 ms).
    expect((err as Error).message).toMatch(/(Reading 1 scanned pages|Parsing) took longer than 0 s/);
    const next = await parser.parse('text', new TextEncoder().encode('still working'));
    expect(next.blocks[0]?.text).toBe('still working');
  }, 60_000);

  it('extends the deadline by the pages read by OCR and reports them one by one', async () => {
    const progress: Array<[number, number]> = [];
    const doc = await make({ timeoutMs: 1000, ocrPageMs: 60_000 }).parse('tiff', fixture('pages.tiff'), {
      onOcrProgress: (done, total) => progress.push([done, total]),
    });
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    expect(doc.blocks.map((b) => b.page)).toContain(2);
  }, 120_000);
});
