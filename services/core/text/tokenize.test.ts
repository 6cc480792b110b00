import { describe, expect, it } from 'vitest';
import {
  countTokens,
  EXACT_MARK,
  ftsOr,
  queryTerms,
  rarity,
  segment,
  segmentForIndex,
  stemOfExact,
} from './tokenize.ts';

describe('segment', () => {
  it('splits Chinese into words and keeps English words, lower-cased, without punctuation', () => {
    const words = segment('知识库支持中文检索，RAG Chat！');
    expect(words).toContain('知识库');
    expect(words).toContain('检索');
    expect(words).toContain('rag');
    expect(words).not.toContain('，');
  });

  it('drops stopwords on request', () => {
    expect(segment('the cat and 我们的猫', { dropStopwords: true })).toEqual(['cat', '猫']);
  });
});

describe('queryTerms and ftsOr', () => {
  it('quotes every word so user input cannot inject FTS syntax', () => {
    expect(ftsOr(queryTerms('NEAR("x") OR 检索'))).toBe(
      `"near" OR "${EXACT_MARK}near" OR "x" OR "${EXACT_MARK}x" OR "检索"`,
    );
    expect(ftsOr(['a"b'])).toBe('"a""b"');
  });

  it('leaves no terms when nothing searchable is left', () => {
    expect(queryTerms('?? 的 the')).toEqual([]);
  });

  it('finds the shorter words inside long Chinese words, and English words by their stem', () => {
    const indexed = new Set(segmentForIndex('部署到代理服务器。Configuring the servers').split(' '));
    for (const query of ['服务器', '代理', 'configure server', 'configured']) {
      const terms = queryTerms(query).filter((t) => stemOfExact(t) === undefined);
      expect(terms.length, query).toBeGreaterThan(0);
      for (const t of terms) expect(indexed, `${query}: ${t}`).toContain(t);
    }
  });

  it('indexes long Chinese words with the shorter words that tile them, not those that straddle their parts', () => {
    expect(segment('普通用户', { cut: 'search' })).toEqual(['普通', '通用', '用户', '普通用户']);
    expect(queryTerms('普通用户')).toEqual(['普通', '用户', '普通用户']);
    expect(queryTerms('中华人民共和国的客户端')).toEqual([
      '中华',
      '人民',
      '共和',
      '共和国',
      '中华人民共和国',
      '客户',
      '客户端',
    ]);
    // A word that comes again inside the next one stays a word of its own.
    expect(segmentForIndex('用户 用户名').split(' ')).toEqual(['用户', '用户', '用户名']);
  });

  it('indexes each English word as written beside its stem, so the exact word scores for both', () => {
    const exact = (w: string) => `${EXACT_MARK}${w}`;
    expect(segmentForIndex('Configuring 服务器 ipv4').split(' ')).toEqual([
      'configur',
      exact('configuring'),
      '服务',
      '服务器',
      'ipv4',
    ]);
    expect(queryTerms('configuring')).toEqual(['configur', exact('configuring')]);
    expect(queryTerms('configured servers')).toEqual(['configur', exact('configured'), 'server', exact('servers')]);
    expect(stemOfExact(exact('configured'))).toBe('configur');
    expect(stemOfExact('configur')).toBeUndefined();
  });
});

describe('countTokens', () => {
  it('counts one token per Chinese character and about 1.3 per English word', () => {
    expect(countTokens('中文检索')).toBe(4);
    expect(countTokens('hello brave new world')).toBe(6);
    expect(countTokens('')).toBe(0);
  });
});

describe('rarity', () => {
  it('weighs a rarer term more, as BM25 does, and never below zero', () => {
    expect(rarity(100, 1)).toBeCloseTo(Math.log(1 + 99.5 / 1.5), 9);
    expect(rarity(100, 1)).toBeGreaterThan(rarity(100, 50));
    expect(rarity(100, 100)).toBeGreaterThan(0);
    // More rows holding a term than rows counted (a document still being written): no weight.
    expect(rarity(0, 5)).toBe(0);
  });
});
