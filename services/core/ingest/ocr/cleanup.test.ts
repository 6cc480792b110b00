import { describe, expect, it } from 'vitest';
import { reflowLines, tidyOcrText } from './cleanup.ts';

describe('tidyOcrText', () => {
  it('removes the spaces Tesseract puts between Chinese characters and restores full-width punctuation', () => {
    expect(tidyOcrText('各 部 门 、 各 分 公 司 :\n(一) 消 防 设 施 , 器 材')).toBe(
      '各部门、各分公司：\n（一）消防设施，器材',
    );
  });

  it('leaves Latin text and numbers as they are', () => {
    const text = 'Call 010-6523 8871 (office): ask for Wang, please.';
    expect(tidyOcrText(text)).toBe(text);
    expect(tidyOcrText('电话 : 010-6523 8871。')).toBe('电话：010-6523 8871。');
  });

  it('turns page breaks into paragraph breaks and trims blank runs', () => {
    expect(tidyOcrText('第一页\n\n\n\n第二段\f')).toBe('第一页\n\n第二段');
  });
});

describe('reflowLines', () => {
  it('joins lines the margin broke and keeps short lines and paragraphs apart', () => {
    const page = [
      '一、检查时间',
      '自十一月四日起至十一月二十九日止，分自查、抽查和整改三个阶段进行。各部门',
      '应于十一月十五日前完成自查。',
      '',
      'All staff are informed that the office will move to the twelfth floor on',
      'Monday.',
    ].join('\n');
    expect(reflowLines(page).split('\n')).toEqual([
      '一、检查时间',
      '自十一月四日起至十一月二十九日止，分自查、抽查和整改三个阶段进行。各部门应于十一月十五日前完成自查。',
      '',
      'All staff are informed that the office will move to the twelfth floor on Monday.',
    ]);
  });
});
