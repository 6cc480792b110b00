import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startService } from '../helpers/process.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '.artifacts', 'screenshots');

const VIEWPORTS = { laptop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/** The all-in-one process (`npm start`) on a free port over a temp DATA_DIR. */
export interface RunningApp {
  baseUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startAllInOne(env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cos-browser-'));
  const serviceEnv = { NODE_ENV: 'test', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env };
  const app = await startService('services/main.ts', serviceEnv).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    baseUrl: app.url,
    dataDir,
    async stop() {
      await app.stop({ graceMs: 5000 });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Saves the page at laptop and phone width as `<name>-laptop.png` and `<name>-phone.png`. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: true, caret: 'initial' });
  }
  await page.setViewportSize(VIEWPORTS.laptop);
}
