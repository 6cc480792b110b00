import { readFileSync } from 'node:fs';

/** The version of Context OS, from its package.json (shipped in the image beside `services/`). */
export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
