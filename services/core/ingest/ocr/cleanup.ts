/** Han characters and the CJK punctuation and full-width forms around them. */
const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef';
const HALF_PUNCT = '(:;,!?)';
const FULL: Record<string, string> = { '(': '（', ')': '）', ':': '：', ';': '；', ',': '，', '!': '！', '?': '？' };

const spaceBetweenCjk = new RegExp(`(?<=[${CJK}])[ \\t]+(?=[${CJK}])`, 'gu');
const spaceBeforePunct = new RegExp(`(?<=[${CJK}])[ \\t]+(?=[${HALF_PUNCT.replace(/[()]/g, '\\$&')}])`, 'gu');
const spaceAfterPunct = new RegExp(`(?<=[${HALF_PUNCT.replace(/[()]/g, '\\$&')}])[ \\t]+(?=[${CJK}])`, 'gu');
const spaceAroundFullWidth = /[ \t]+(?=[\u3000-\u303f\uff00-\uffef])|(?<=[\u3000-\u303f\uff00-\uffef])[ \t]+/gu;
const halfWidthNextToHan = /(?<=\p{Script=Han}[ \t]?)[:;,!?)]|[(](?=\p{Script=Han})/gu;

/**
 * Tidies Tesseract's output of Chinese text: it puts spaces between Han characters and
 * prints ASCII punctuation where the page has full-width forms ("各分公司 :" for "各分公司：").
 * Latin text keeps its spaces and punctuation.
 */
export function tidyOcrText(text: string): string {
  return text
    .replace(/\f/g, '\n')
    .replace(spaceBetweenCjk, '')
    .replace(spaceBeforePunct, '')
    .replace(spaceAfterPunct, '')
    .replace(halfWidthNextToHan, (m) => FULL[m] ?? m)
    .replace(spaceAroundFullWidth, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Columns a line takes: Chinese characters are twice as wide as Latin ones. */
const displayWidth = (line: string) => {
  let n = 0;
  for (const ch of line) n += /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u.test(ch) ? 2 : 1;
  return n;
};
const endsCjk = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]$/u;
const startsCjk = /^[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/**
 * Rejoins the lines of a paragraph that the page's margin broke: a line nearly as long as the
 * longest one on the page runs on into the next. Chinese joins without a space, other text
 * with one; short lines (headings, the last line of a paragraph) end where they are.
 */
export function reflowLines(text: string): string {
  const lines = text.split('\n');
  const width = lines.reduce((m, l) => Math.max(m, displayWidth(l)), 0);
  let out = '';
  for (const [i, line] of lines.entries()) {
    out += line;
    const next = lines[i + 1];
    if (next === undefined) break;
    const wraps = line.trim() !== '' && next.trim() !== '' && displayWidth(line) >= width * 0.8;
    if (!wraps) out += '\n';
    else if (!(endsCjk.test(line) && startsCjk.test(next))) out += ' ';
  }
  return out;
}
