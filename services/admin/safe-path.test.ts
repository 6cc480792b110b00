import { describe, expect, it } from 'vitest';
import { safeLocalPath } from './safe-path.ts';

describe('safeLocalPath', () => {
  it.each([
    '//evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'https://evil.example',
    ' //evil.example',
    'kbs',
  ])('refuses %j', (value) => expect(safeLocalPath(value, '/kbs')).toBe('/kbs'));

  it('keeps same-site paths with their query', () => {
    expect(safeLocalPath('/account/api-keys?tab=1', '/kbs')).toBe('/account/api-keys?tab=1');
    expect(safeLocalPath('/kbs/abc', '/')).toBe('/kbs/abc');
  });
});
