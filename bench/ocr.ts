// OCR throughput and accuracy: the scanned Chinese notice read again and again through the
// isolated parser (pdftoppm + Tesseract, chi_sim+eng), as the worker reads a scan.
//   npm run bench:ocr [-- pages]
import { readFileSync } from 'node:fs';
import { extractText, getDocumentProxy } from 'unpdf';
import { DEFAULT_PARSE_LIMITS, IsolatedParser } from '../services/core/ingest/parsers/isolated.ts';
import { charRecall } from '../tests/ingest/char-recall.ts';

const fixture = (name: string) => readFileSync(new URL(`../tests/fixtures/documents/${name}`, import.meta.url));
const pages = Number(process.argv[2] ?? 6);

const reference = await (async () => {
  const pdf = await getDocumentProxy(new Uint8Array(fixture('notice.pdf')));
  const { text } = await extractText(pdf, { mergePages: true });
  await pdf.destroy();
  return text;
})();

const parser = new IsolatedParser(DEFAULT_PARSE_LIMITS);
const times: number[] = [];
let recall = 0;
try {
  for (let i = 0; i < pages; i++) {
    const started = performance.now();
    const doc = await parser.parse('pdf', fixture('scanned.pdf'), { ocrLanguage: 'chi_sim+eng' });
    times.push((performance.now() - started) / 1000);
    recall = charRecall(reference, doc.blocks.map((b) => b.text).join('\n'));
  }
} finally {
  parser.close();
}
const total = times.reduce((a, b) => a + b, 0);
const sorted = [...times].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    pages,
    pagesPerMinute: Number(((60 * pages) / total).toFixed(1)),
    secondsPerPage: { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) },
    characterRecall: Number(recall.toFixed(4)),
  }),
);
