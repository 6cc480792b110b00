import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { publicBase } from './public-url.ts';

async function base(config: { PUBLIC_URL?: string; TRUST_PROXY: boolean }, headers: Record<string, string> = {}) {
  const app = new Hono().get('/', (c) => c.text(publicBase(c, config)));
  const res = await app.request('http://10.0.0.5:3000/', { headers });
  return res.text();
}

describe('publicBase', () => {
  const forwarded = { 'x-forwarded-host': 'kb.example.com', 'x-forwarded-proto': 'https' };

  it('prefers PUBLIC_URL, without a trailing slash', async () => {
    expect(await base({ PUBLIC_URL: 'https://docs.example.org/', TRUST_PROXY: true }, forwarded)).toBe(
      'https://docs.example.org',
    );
  });

  it('takes the forwarded host only behind a trusted proxy', async () => {
    expect(await base({ TRUST_PROXY: true }, forwarded)).toBe('https://kb.example.com');
    expect(await base({ TRUST_PROXY: false }, forwarded)).toBe('http://10.0.0.5:3000');
  });
});
