import { describe, expect, it } from 'vitest';
import { countTokens, ftsQuery, segment, segmentForIndex } from './tokenize.ts';

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

describe('ftsQuery', () => {
  it('quotes every word so user input cannot inject FTS syntax', () => {
    expect(ftsQuery('NEAR("x") OR 检索')).toBe('"near" OR "x" OR "检索"');
  });

  it('returns null when nothing searchable is left', () => {
    expect(ftsQuery('?? 的 the')).toBeNull();
  });

  it('matches what segmentForIndex wrote', () => {
    expect(segmentForIndex('部署到服务器')).toBe('部署 到 服务器');
  });
});

describe('countTokens', () => {
  it('counts one token per Chinese character and about 1.3 per English word', () => {
    expect(countTokens('中文检索')).toBe(4);
    expect(countTokens('hello brave new world')).toBe(6);
    expect(countTokens('')).toBe(0);
  });
});
