import { countTokens, isCjk, segment } from '../text/tokenize.ts';
import type { Block } from './parsers/types.ts';
import { splitSentences } from './sentences.ts';

const MAX_SCAN_CHARS = 200_000;
const KEY_SENTENCES = 5;
const MAX_SECTIONS = 12;
const MAX_LEAD_CHARS = 200;
/** Section titles are the words people search for: as many as fit, not just the first dozen. */
const MAX_OUTLINE_CHARS = 1500;
const KEY_TERMS = 20;

const KINDS: Array<{ en: string; zh: string; words: RegExp }> = [
  {
    en: 'policy or regulation',
    zh: '制度规范',
    words: /第[一二三四五六七八九十\d]+条|规定|制度|办法|policy|regulation|must not|shall/i,
  },
  { en: 'how-to guide', zh: '操作指南', words: /步骤|安装|配置|操作|step \d|install|configure|how to|tutorial/i },
  { en: 'reference manual', zh: '参考手册', words: /手册|参考|接口|参数|handbook|manual|reference|api|parameter/i },
  { en: 'report', zh: '报告', words: /报告|分析|季度|同比|report|analysis|quarter|revenue|findings/i },
  { en: 'meeting notes', zh: '会议纪要', words: /会议|纪要|议题|meeting minutes|agenda|attendees|action items/i },
];

/** Mostly Chinese text gets a Chinese summary frame. */
export const mostlyChinese = (text: string) => {
  const sample = text.slice(0, 5000);
  const cjk = [...sample].filter((c) => isCjk(c)).length;
  const latin = sample.match(/[A-Za-z]+/g)?.length ?? 0;
  return cjk > latin;
};

function guessKind(text: string): { en: string; zh: string } {
  let best = { en: 'general document', zh: '综合文档' };
  let bestHits = 0;
  for (const kind of KINDS) {
    const hits = text.match(new RegExp(kind.words.source, 'gi'))?.length ?? 0;
    if (hits > bestHits) {
      best = kind;
      bestHits = hits;
    }
  }
  return best;
}

/** Each main section with its first sentence: what the section is about, in its own words. */
function sectionLeads(blocks: Block[], maxLevel: number): Array<{ heading: string; lead: string }> {
  const leads: Array<{ heading: string; lead: string }> = [];
  let open: string | undefined;
  for (const b of blocks) {
    if (b.heading !== undefined) {
      open = b.heading <= maxLevel ? b.text.replace(/\s+/g, ' ').slice(0, 60) : open;
      continue;
    }
    if (open === undefined) continue;
    const first = splitSentences(b.text)[0]?.replace(/\s+/g, ' ').trim() ?? '';
    if (first) leads.push({ heading: open, lead: first.slice(0, MAX_LEAD_CHARS) });
    open = undefined;
    if (leads.length >= MAX_SECTIONS) break;
  }
  return leads;
}

/** The titles of the main sections, in order, as many as fit in `MAX_OUTLINE_CHARS`. */
function outline(titles: string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const t of new Set(titles)) {
    if (chars + t.length > MAX_OUTLINE_CHARS) break;
    out.push(t);
    chars += t.length + 2;
  }
  return out;
}

/** The document's own vocabulary: its most frequent words of two characters or more. */
function keyTerms(text: string): string[] {
  const freq = new Map<string, number>();
  for (const w of segment(text, { dropStopwords: true })) {
    if (w.length > 1 && !/^\d+$/.test(w)) freq.set(w, (freq.get(w) ?? 0) + 1);
  }
  return [...freq.entries()]
    .filter(([, n]) => n > 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, KEY_TERMS)
    .map(([w]) => w);
}

/** Sentences that carry the document's most frequent words, in reading order. */
function keySentences(text: string, skip: Set<string>): string[] {
  const sentences = splitSentences(text)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => countTokens(s) >= 6 && s.length <= 300 && !skip.has(s));
  const freq = new Map<string, number>();
  for (const w of segment(text, { dropStopwords: true })) if (w.length > 1) freq.set(w, (freq.get(w) ?? 0) + 1);
  const scored = sentences.map((s, i) => {
    const words = [...new Set(segment(s, { dropStopwords: true }))];
    const score = words.reduce((n, w) => n + Math.log(1 + (freq.get(w) ?? 0)), 0) / Math.sqrt(words.length + 1);
    return { s, i, score: score * (i < 3 ? 1.2 : 1) };
  });
  const picked = scored.sort((a, b) => b.score - a.score).slice(0, KEY_SENTENCES);
  return [...new Set(picked.sort((a, b) => a.i - b.i).map((p) => p.s))];
}

/**
 * A K-Type summary without a model: the title, a guessed kind of knowledge, the titles of its
 * main sections (as many as fit), the first sections each with its opening sentence, a few
 * key sentences and the document's most frequent terms (Chinese segmented by jieba).
 */
export function extractiveSummary(title: string, blocks: Block[]): string {
  const body = blocks
    .filter((b) => b.heading === undefined)
    .map((b) => b.text)
    .join('\n')
    .slice(0, MAX_SCAN_CHARS);
  const topLevel = Math.min(...blocks.filter((b) => b.heading !== undefined).map((b) => b.heading ?? 9), 9);
  const sections = blocks
    .filter((b) => b.heading !== undefined && b.heading <= topLevel + 1 && b.text !== title)
    .map((b) => b.text.replace(/\s+/g, ' ').slice(0, 60));
  const uniqueSections = outline(sections);
  const terms = keyTerms(body);
  const kind = guessKind(`${title}\n${sections.join('\n')}\n${body.slice(0, 20_000)}`);
  const leads = sectionLeads(blocks, topLevel + 1).filter((l) => l.heading !== title);
  const points = keySentences(body, new Set(leads.map((l) => l.lead)));
  if (mostlyChinese(`${title}${body}`)) {
    const lines = [title, `类型：${kind.zh}。`];
    if (uniqueSections.length > 0) lines.push(`主要章节：${uniqueSections.join('；')}。`);
    for (const l of leads) lines.push(`${l.heading}：${l.lead}`);
    if (points.length > 0) lines.push(`要点：${points.join(' ')}`);
    if (terms.length > 0) lines.push(`关键词：${terms.join('、')}。`);
    return lines.join('\n');
  }
  const lines = [title, `Kind: ${kind.en}.`];
  if (uniqueSections.length > 0) lines.push(`Main sections: ${uniqueSections.join('; ')}.`);
  for (const l of leads) lines.push(`${l.heading}: ${l.lead}`);
  if (points.length > 0) lines.push(`Key points: ${points.join(' ')}`);
  if (terms.length > 0) lines.push(`Key terms: ${terms.join(', ')}.`);
  return lines.join('\n');
}
