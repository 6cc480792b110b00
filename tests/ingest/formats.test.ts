import { readFileSync } from 'node:fs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIngestWorker } from '../../services/core/ingest/worker.ts';
import { startIngestWorker } from '../../services/core/ingest/worker.ts';
import { search } from '../../services/core/search/index.ts';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { charRecall } from './char-recall.ts';
import { makeZip } from './fixtures.ts';
import { fileForm, waitForDocument } from './helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/documents/${name}`, import.meta.url));
const OCR_WAIT_MS = 240_000;

let deps: TestDeps;
let worker: RunningIngestWorker;
let api: ReturnType<typeof client>;
let alice: { token: string; userId: string };
let kbId: string;

beforeAll(async () => {
  deps = await createTestDeps();
  worker = await startIngestWorker(deps);
  api = client(createApp(deps));
  alice = await api.register('formats@example.com');
  kbId = (await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Formats' } })).json.kb.id;
});
afterAll(async () => {
  worker.stop();
  await deps.cleanup();
});

async function ingest(name: string, bytes: Uint8Array = fixture(name), kb = kbId) {
  const r = await api.call('POST', `/api/kbs/${kb}/documents`, { token: alice.token, body: fileForm(name, bytes) });
  expect(r.status, r.text).toBe(202);
  return waitForDocument(api, alice.token, r.json.document.id, OCR_WAIT_MS);
}

type Chunk = { content: string; page: number | null; heading: string | null; parentId: string | null; id: string };
const chunks = async (id: string, layer: 'parent' | 'child') =>
  (await api.call('GET', `/api/documents/${id}/chunks?layer=${layer}`, { token: alice.token })).json.items as Chunk[];
const text = (items: Chunk[]) => items.map((c) => c.content).join('\n');
const pages = (items: Chunk[]) => [...new Set(items.map((c) => c.page))].sort();
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

async function pdfTextLayer(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  await pdf.destroy();
  return text;
}

describe('scanned pages and photos through OCR', () => {
  it('recovers at least 95% of the characters of a scanned Chinese page, with its page number', async () => {
    const started = Date.now();
    const doc = await ingest('scanned.pdf');
    const seconds = (Date.now() - started) / 1000;
    expect(doc).toMatchObject({ status: 'completed', error: null });
    const children = await chunks(doc.id, 'child');
    const recall = charRecall(await pdfTextLayer(fixture('notice.pdf')), text(children));
    console.info(`OCR of a scanned Chinese page: ${(recall * 100).toFixed(1)}% of characters, ${seconds.toFixed(1)} s`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(children.every((c) => c.page === 1)).toBe(true);
  });

  it('keeps the text layer of a mixed PDF and reads its scanned page by OCR', async () => {
    const doc = await ingest('mixed.pdf');
    expect(doc.status).toBe('completed');
    const children = await chunks(doc.id, 'child');
    const page1 = text(children.filter((c) => c.page === 1));
    const all = text(children);
    // Page 1 comes from its text layer, word for word.
    const layer = await pdfTextLayer(fixture('mixed.pdf'));
    expect(layer).toContain('Jinqiao');
    expect(oneLine(page1)).toContain('Packing crates will be delivered to each team on the Thursday before the move');
    expect(all).toContain('关于开展二〇二四年度消防安全检查的通知');
    expect(all).toContain('十一月十五日前完成自查');
    expect(pages(children)).toEqual([1, 2]);
  });

  it('reads a tilted phone photo of a page and finds it in search', async () => {
    const kb = (await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Photo' } })).json.kb.id;
    const doc = await ingest('photo.jpg', fixture('photo.jpg'), kb);
    expect(doc).toMatchObject({ status: 'completed', mimeType: 'image/jpeg' });
    const children = await chunks(doc.id, 'child');
    const all = text(children);
    for (const phrase of [
      '各部门、各分公司',
      '中华人民共和国消防法',
      '开展年度消防安全检查',
      '分自查、抽查和整改三个阶段进行',
    ]) {
      expect(all).toContain(phrase);
    }
    const result = await search(
      deps,
      { userId: alice.userId },
      { kbId: kb, query: '消防安全检查分几个阶段', hybrid: true },
    );
    expect(result.hits[0]?.document.id).toBe(doc.id);
  });

  it('reads PNG, WebP and every page of a TIFF', async () => {
    for (const name of ['excerpt.png', 'excerpt.webp']) {
      const doc = await ingest(name);
      expect(doc.status, name).toBe('completed');
      expect(text(await chunks(doc.id, 'child')), name).toContain('关于开展二〇二四年度消防安全检查的通知');
    }
    const tiff = await ingest('pages.tiff');
    const children = await chunks(tiff.id, 'child');
    expect(text(children)).toContain('中华人民共和国消防法');
    expect(text(children)).toContain('明确整改责任人和整改期限');
    expect(pages(children).every((p) => p === 1 || p === 2)).toBe(true);
  });

  it('reads with the KB language setting and refuses a language that is not installed', async () => {
    const kb = (
      await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'English scans', ocrLanguage: 'eng' } })
    ).json.kb;
    expect(kb.ocrLanguage).toBe('eng');
    const other = (await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Default' } })).json.kb;
    expect(other.ocrLanguage).toBe('chi_sim+eng');
    const bad = await api.call('PATCH', `/api/kbs/${kb.id}`, { token: alice.token, body: { ocrLanguage: 'klingon' } });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'validation_failed']);
    expect(bad.json.error.message).toMatch(/klingon is not installed/);
    const injected = await api.call('PATCH', `/api/kbs/${kb.id}`, {
      token: alice.token,
      body: { ocrLanguage: 'eng --psm 0' },
    });
    expect(injected.status).toBe(400);
    const doc = await ingest('excerpt.png', fixture('excerpt.png'), kb.id);
    // English alone cannot read the Chinese notice: the setting reached Tesseract.
    expect(doc.status).toBe('completed');
    expect(text(await chunks(doc.id, 'child'))).not.toContain('消防安全检查');
  });
});

describe('spreadsheets, slides and e-books', () => {
  it('indexes each row of a CSV as a child carrying its headers, and a question about one row finds it', async () => {
    const kb = (await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Prices' } })).json.kb.id;
    const doc = await ingest('prices.csv', fixture('prices.csv'), kb);
    expect(doc).toMatchObject({ status: 'completed', childCount: 18 });
    const children = await chunks(doc.id, 'child');
    expect(children.map((c) => c.content)).toContain(
      '城市: 深圳; 产品: 投影仪; 规格: 1080P 4000流明; 价格: 4380; 单位: 台; 供应商: 爱普生; 更新日期: 2024-10-16',
    );
    for (const hybrid of [false, true]) {
      const result = await search(
        deps,
        { userId: alice.userId },
        { kbId: kb, query: '深圳的投影仪多少钱', mode: 'flat', hybrid },
      );
      expect(result.hits[0]?.children[0]?.content, `hybrid ${hybrid}`).toContain('投影仪; 规格: 1080P');
    }
  });

  it('makes each sheet of a workbook a parent, with formulas by their results', async () => {
    const doc = await ingest('workbook.xlsx');
    expect(doc.status).toBe('completed');
    const parents = await chunks(doc.id, 'parent');
    expect(parents.map((p) => p.heading)).toEqual(['通讯录', '季度经营']);
    const children = await chunks(doc.id, 'child');
    expect(children.map((c) => c.content)).toContain(
      '工号: E1005; 姓名: 刘洋; 部门: IT部; 职位: 网络管理员; 入职日期: 2019-09-23; 分机: 8100',
    );
    expect(text(children)).toContain('季度: 第二季度; 销售额（万元）: 7950; 成本（万元）: 5380; 毛利率: 32.3%');
    const xlsx = await ingest('prices.xlsx');
    expect(xlsx).toMatchObject({ status: 'completed', childCount: 18 });
  });

  it('makes each slide a section with its speaker notes, from Impress and from pandoc', async () => {
    for (const name of ['deck.pptx', 'deck-pandoc.pptx']) {
      const doc = await ingest(name);
      expect(doc).toMatchObject({ status: 'completed', title: '2025年华东区销售计划' });
      const all = text(await chunks(doc.id, 'child'));
      expect(all, name).toContain('3. 2025年目标');
      expect(all, name).toContain('在苏州、宁波各设一个办事处');
      expect(all, name).toContain('演讲者备注：宁波办事处的选址方案下周三前报给总经理办公室。');
      expect(all, name).toContain('Speaker notes: Ask finance for the hedging proposal');
      expect(all.indexOf('2. 2024年回顾')).toBeLessThan(all.indexOf('3. 2025年目标'));
    }
  });

  it('reads an EPUB chapter by chapter in reading order', async () => {
    const doc = await ingest('handbook.epub');
    expect(doc).toMatchObject({ status: 'completed', title: '新员工入职手册' });
    const all = text(await chunks(doc.id, 'child'));
    const order = ['成立于二〇〇八年', '五天带薪年假', '住宿标准', 'at least twelve characters'].map((s) =>
      all.indexOf(s),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

describe('detection and failures of the new kinds', () => {
  it('refuses files whose content is not what their name says, and old binary Office files', async () => {
    const cases: Array<[string, Uint8Array]> = [
      ['photo.pdf', fixture('photo.jpg')],
      ['prices.pptx', fixture('prices.xlsx')],
      ['deck.xlsx', fixture('deck.pptx')],
      ['book.epub', fixture('workbook.xlsx')],
      ['scan.png', fixture('scanned.pdf')],
      ['notes.jpg', Buffer.from('just some text')],
      ['prices.csv', fixture('prices.xlsx')],
      ['old.xls', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)])],
    ];
    for (const [name, bytes] of cases) {
      const r = await api.call('POST', `/api/kbs/${kbId}/documents`, {
        token: alice.token,
        body: fileForm(name, bytes),
      });
      expect([name, r.status, r.json.error.code]).toEqual([name, 415, 'unsupported_type']);
    }
  });

  it('detects the kind of a file without an extension by its content', async () => {
    const doc = await ingest('scan-from-phone', fixture('excerpt.png'));
    expect(doc).toMatchObject({ status: 'completed', mimeType: 'image/png' });
  });

  it('ends broken files of each new kind in failed with a readable error, and the next file still works', async () => {
    const jpeg = fixture('photo.jpg');
    const broken: Array<[string, Uint8Array, RegExp]> = [
      ['cut.jpg', jpeg.subarray(0, 600), /image could not be read/],
      ['blank.png', fixture('excerpt.png').subarray(0, 200), /image could not be read/],
      ['bad.xlsx', makeZip({ 'xl/workbook.xml': '<workbook><unclosed' }), /spreadsheet could not be read/],
      ['bad.pptx', makeZip({ 'ppt/presentation.xml': '<p:presentation/>' }), /presentation contains no text/],
      [
        'bad.epub',
        makeZip({ mimetype: 'application/epub+zip', 'META-INF/container.xml': '<container/>' }),
        /e-book could not be read/,
      ],
    ];
    for (const [name, bytes, error] of broken) {
      const doc = await ingest(name, bytes);
      expect([name, doc.status]).toEqual([name, 'failed']);
      expect(doc.error, name).toMatch(error);
    }
    const fine = await ingest('prices.csv');
    expect(fine.status).toBe('completed');
  });
});
