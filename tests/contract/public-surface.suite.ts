import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from './world.ts';

let world: World;

const seriesCount = (metrics: string) => metrics.split('\n').filter((l) => l.startsWith('http_requests_total{')).length;

/** Metrics, readiness and headers of the public endpoints. */
export function publicSurfaceSuite(get: () => World): void {
  describe('public endpoints', () => {
    beforeAll(() => {
      world = get();
    });
    it('/metrics labels requests by route pattern: no ids, share tokens or arbitrary paths', async () => {
      const { api, alice } = world;
      const share = await api.call('POST', `/api/notes/${alice.noteId}/share`, { token: alice.token });
      const sharePath = new URL(share.json.shareUrl).pathname;
      const shareToken = sharePath.split('/').pop() ?? '';
      await api.call('GET', sharePath);
      await api.call('GET', `/api/documents/${alice.documentId}`, { token: alice.token });
      await api.call('GET', `/api/kbs/${alice.kbId}`, { token: alice.token });
      await api.call('GET', '/shared/notes/guessed-token-aaaaaaaaaaaaaaaa');
      const before = seriesCount((await api.call('GET', '/metrics')).text);
      for (let i = 0; i < 30; i++) {
        await api.call('GET', `/api/random-${i}-${'z'.repeat(20)}`);
        await api.call('GET', `/v1/random-${i}`, { token: alice.apiKey });
        await api.call('GET', `/nowhere/${i}`);
        await api.call('GET', `/shared/notes/guess-${i}`);
      }
      const metrics = (await api.call('GET', '/metrics')).text;
      for (const secret of [shareToken, alice.noteId, alice.documentId, alice.kbId, alice.userId, 'random-', 'guess']) {
        expect(metrics, secret).not.toContain(secret);
      }
      expect(seriesCount(metrics) - before).toBeLessThanOrEqual(8);
      await api.call('DELETE', `/api/notes/${alice.noteId}/share`, { token: alice.token });
    });

    it('/readyz names each dependency without exposing configuration secrets', async () => {
      const res = await world.api.call('GET', '/readyz');
      expect(res.status).toBe(200);
      expect(res.json.checks.length).toBeGreaterThan(0);
      for (const check of res.json.checks) expect(check).toMatchObject({ name: expect.any(String), ok: true });
      expect(res.text).not.toContain(world.deps.jwtSecret);
      expect(res.text).not.toContain(world.deps.dataDir);
    });

    it('answers the API with security headers and no framework banner', async () => {
      const res = await world.api.call('GET', '/api/kbs', { token: world.alice.token });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBeTruthy();
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
}
