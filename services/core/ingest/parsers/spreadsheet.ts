import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { IngestError } from '../errors.ts';
import { decodeText } from './text.ts';
import type { Block, ParsedDocument } from './types.ts';

/** Most rows one spreadsheet may have indexed. */
export const MAX_ROWS = 200_000;

type Row = string[];

const columnName = (i: number): string => {
  let n = i + 1;
  let name = '';
  while (n > 0) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
};

const filled = (row: Row) => row.filter((c) => c !== '');

/**
 * One sheet as blocks: the sheet name as a heading, then each row as a record that carries its
 * column headers ("价格: 120; 城市: 上海"), so a question about one row finds that row. The
 * first non-empty row holds the headers; a single-cell row above it is the sheet's title.
 */
export function rowsToBlocks(rows: Row[], sheetName: string | null): Block[] {
  const lines = rows.map((r) => r.map((c) => c.replace(/\s+/g, ' ').trim())).filter((r) => filled(r).length > 0);
  const blocks: Block[] = sheetName ? [{ text: sheetName, heading: 1 }] : [];
  let start = 0;
  const first = lines[0];
  const second = lines[1];
  if (first && second && new Set(filled(first)).size === 1 && filled(second).length > 1) {
    blocks.push({ text: filled(first)[0] ?? '' });
    start = 1;
  }
  const header = lines[start] ?? [];
  const names = (i: number) => header[i] || columnName(i);
  const data = lines.slice(start + 1);
  if (data.length === 0 && header.length > 0) blocks.push({ text: filled(header).join('; '), record: true });
  for (const row of data) {
    const text = row.flatMap((cell, i) => (cell === '' ? [] : [`${names(i)}: ${cell}`])).join('; ');
    blocks.push({ text, record: true });
  }
  return blocks;
}

function finish(blocks: Block[], title: string | null): ParsedDocument {
  const rows = blocks.filter((b) => b.record).length;
  if (rows === 0) throw new IngestError('The spreadsheet contains no rows with text');
  if (rows > MAX_ROWS) throw new IngestError(`The spreadsheet has ${rows} rows; at most ${MAX_ROWS} are indexed`);
  return { title, blocks };
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

const trimNumber = (n: number) => String(Number(n.toPrecision(15)));

/** A fraction as the cell's percent format shows it: `0.0%` keeps one decimal. */
const percent = (value: number, numFmt: string) => {
  const decimals = /\.(0+)%/.exec(numFmt)?.[1]?.length ?? 0;
  return `${(value * 100).toFixed(decimals)}%`;
};

const isoDate = (d: Date) => {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
};

/** The text a cell shows: formulas by their result, dates as ISO dates, percentages as percent. */
export function cellText(value: ExcelJS.CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numFmt?.includes('%') ? percent(value, numFmt) : trimNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDate(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return String(value.text ?? value.hyperlink);
  if ('error' in value) return String(value.error);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue, numFmt);
  return '';
}

/** An Excel workbook (.xlsx) through ExcelJS: each visible sheet a section, each row a record. */
export async function parseXlsx(bytes: Uint8Array): Promise<ParsedDocument> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch (err) {
    throw new IngestError(`The spreadsheet could not be read (${reason(err)})`, { cause: err });
  }
  const blocks: Block[] = [];
  for (const sheet of workbook.worksheets) {
    if (sheet.state !== 'visible') continue;
    const rows: Row[] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: Row = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        const merged = cell.isMerged && cell.master !== cell;
        cells[col - 1] = merged ? '' : cellText(cell.value, cell.numFmt);
      });
      rows.push(Array.from(cells, (c) => c ?? ''));
    });
    blocks.push(...rowsToBlocks(rows, sheet.name || null));
  }
  return finish(blocks, workbook.title || null);
}

/** The delimiter a CSV file's first line uses most: comma, tab or semicolon. */
function sniffDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const line = text.slice(0, end > 0 ? end : 4096);
  const counts = [',', '\t', ';'].map((d) => [d, line.split(d).length] as const);
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/** A CSV or TSV file (UTF-8 or GBK, as Excel saves it in China): each row a record. */
export function parseCsv(bytes: Uint8Array): ParsedDocument {
  const { text } = decodeText(bytes);
  let rows: Row[];
  try {
    rows = parse(text, {
      delimiter: sniffDelimiter(text),
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    });
  } catch (err) {
    throw new IngestError(`The CSV file could not be read (${reason(err)})`, { cause: err });
  }
  return finish(rowsToBlocks(rows, null), null);
}
