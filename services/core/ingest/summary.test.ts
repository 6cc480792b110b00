import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { type RunningMock, startMockOneApi } from '../../../tests/helpers/mock-oneapi.ts';
import { extractiveSummary } from './extractive-summary.ts';
import { parseMarkdown } from './parsers/markdown.ts';
import { parseText } from './parsers/text.ts';
import { summarize } from './summary.ts';

const handbook = parseMarkdown(
  Buffer.from(
    '# Redis operations handbook\n\n## Installation\nInstall Redis from the package manager. Configure Redis with maxmemory-policy noeviction.\n\n' +
      '## Backups\nRedis backups run nightly. Restore Redis backups into a scratch server before trusting them.\n\n## Monitoring\nWatch memory.',
  ),
);

describe('extractive summary', () => {
  it('names the kind, the main sections and key sentences', () => {
    const s = extractiveSummary('Redis operations handbook', handbook.blocks);
    expect(s.split('\n')[0]).toBe('Redis operations handbook');
    expect(s).toContain('Main sections: Installation; Backups; Monitoring.');
    expect(s).toMatch(/Kind: (how-to guide|reference manual)\./);
    expect(s).toContain('Backups: Redis backups run nightly.');
    expect(s).toContain('Installation: Install Redis from the package manager.');
  });

  it('lists the titles of every main section of a long manual and its own key terms', () => {
    const sections = Array.from(
      { length: 30 },
      (_, i) =>
        `## Chapter ${i + 1} about topic${i + 1}\nThe rsyslog daemon and topic${i + 1} are configured here with rsyslog.conf.`,
    );
    const s = extractiveSummary('Manual', parseMarkdown(Buffer.from(`# Manual\n\n${sections.join('\n\n')}`)).blocks);
    expect(s).toContain('Chapter 30 about topic30');
    expect(s).toMatch(/Key terms: .*rsyslog/);
  });

  it('writes a Chinese frame for Chinese documents', () => {
    const doc = parseText(
      Buffer.from(
        '第一章 总则\n本制度规定数据库每日备份，备份文件必须加密保存。\n\n第二章 恢复\n恢复演练每季度进行一次，演练结果记录在案。',
      ),
    );
    const s = extractiveSummary('数据备份制度', doc.blocks);
    expect(s).toContain('类型：制度规范。');
    expect(s).toContain('主要章节：第一章 总则；第二章 恢复。');
    expect(s).toContain('第一章 总则：本制度规定数据库每日备份，备份文件必须加密保存。');
  });
});

describe('summary through the chat model', () => {
  let mock: RunningMock;
  let deps: TestDeps;
  beforeAll(async () => {
    mock = await startMockOneApi();
    deps = await createTestDeps({ ONEAPI_BASE_URL: mock.baseUrl, ONEAPI_KEY: 'k', SUMMARY_MODEL: 'qwen-plus' });
  });
  afterAll(async () => {
    await deps.cleanup();
    await mock.stop();
  });

  it('asks SUMMARY_MODEL with the outline and the text', async () => {
    const r = await summarize(deps, 'Redis operations handbook', handbook.blocks);
    expect(r.source).toBe('llm');
    expect(r.summary).toContain('Mock answer from qwen-plus');
    const [req] = mock.requests('/chat/completions');
    expect(JSON.stringify(req?.body)).toContain('- Backups');
  });

  it('falls back to the extractive summary when the model fails, and logs it', async () => {
    await mock.control({ down: true });
    try {
      const r = await summarize(deps, 'Redis operations handbook', handbook.blocks);
      expect(r.source).toBe('extractive');
      expect(r.summary).toContain('Main sections: Installation; Backups; Monitoring.');
      expect(deps.logLines.some((l) => l.includes('summary model failed'))).toBe(true);
    } finally {
      await mock.control({ reset: true });
    }
  });
});
