import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.ts';

describe('detectLanguage', () => {
  it('detects Chinese questions, even with English product names', () => {
    expect(detectLanguage('如何配置 Docker 的网络？')).toBe('zh');
    expect(detectLanguage('向量数据库是什么')).toBe('zh');
  });

  it('keeps English for English questions with a stray character', () => {
    expect(detectLanguage('What does the word 道 mean in Taoist philosophy texts?')).toBe('en');
    expect(detectLanguage('How do I rotate the API key?')).toBe('en');
  });
});
