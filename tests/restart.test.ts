import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runToExit, type ServiceProcess, startService } from './helpers/process.ts';

/** The all-in-one process over real HTTP: data and sessions survive a restart; SIGTERM is graceful. */
describe('npm start process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cos-restart-'));
  let proc: ServiceProcess | undefined;
  afterAll(async () => {
    await proc?.stop({ signal: 'SIGKILL' });
    rmSync(dataDir, { recursive: true, force: true });
  });

  const json = async (res: Response) => ({ status: res.status, body: await res.json() });
  const post = (url: string, body: unknown, token?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });

  it('keeps users, KBs and sessions across a restart and exits cleanly on SIGTERM', async () => {
    proc = await startService('services/main.ts', { DATA_DIR: dataDir });
    const reg = await json(
      await post(`${proc.url}/api/auth/register`, { email: 'r@example.com', password: 'password1234' }),
    );
    expect(reg.status).toBe(201);
    const kb = await json(await post(`${proc.url}/api/kbs`, { title: 'Survives' }, reg.body.token));
    expect(kb.status).toBe(201);

    const stopped = await proc.stop({ signal: 'SIGTERM' });
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5000);

    proc = await startService('services/main.ts', { DATA_DIR: dataDir });
    const me = await fetch(`${proc.url}/api/auth/me`, { headers: { authorization: `Bearer ${reg.body.token}` } });
    expect(me.status).toBe(200);
    const login = await json(
      await post(`${proc.url}/api/auth/login`, { email: 'r@example.com', password: 'password1234' }),
    );
    expect(login.status).toBe(200);
    const kbs = await json(
      await fetch(`${proc.url}/api/kbs`, { headers: { authorization: `Bearer ${login.body.token}` } }),
    );
    expect(kbs.body.items.map((k: { title: string }) => k.title)).toEqual(['Survives']);
    expect(proc.output()).not.toContain('password1234');
  });

  it('refuses to start on bad configuration and names the variable', async () => {
    const run = await runToExit('services/main.ts', { DATA_DIR: dataDir, MAX_UPLOAD_MB: 'lots' });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/MAX_UPLOAD_MB/);
  });
});
