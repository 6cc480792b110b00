import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One service of a compose file, as far as these tests read it. */
export interface ComposeService {
  image?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  exclude_from_hc?: boolean;
  mem_limit?: string;
  profiles?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  volumes?: Array<string | { type?: string; source?: string; target?: string; content?: string }>;
  ports?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Parses a compose file from the repository (YAML merge keys resolved). */
export function loadCompose(path: string): ComposeFile {
  return parse(readFileSync(join(ROOT, path), 'utf8'), { merge: true }) as ComposeFile;
}

export function readText(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** `environment` as a map, whichever of the two compose forms the file uses. */
export function envOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** `224m` -> 224, `1g` -> 1024 (MiB). */
export function mebibytes(limit: string | undefined): number {
  // A limit the operator may override (`${SEARCH_MEM_LIMIT:-544m}`) counts with its default.
  const value = /^\$\{[A-Z0-9_]+:-([^}]+)\}$/.exec(limit ?? '')?.[1] ?? limit ?? '';
  const m = /^(\d+(?:\.\d+)?)\s*([kmg])?b?$/i.exec(value);
  if (!m) throw new Error(`unreadable memory limit: ${limit}`);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  if (unit === 'g') return n * 1024;
  if (unit === 'k') return n / 1024;
  if (unit === 'm') return n;
  return n / (1024 * 1024);
}

/** Environment variables whose values are credentials. */
export const SECRET_KEY = /(PASSWORD|SECRET|TOKEN|API_KEY|ONEAPI_KEY|REDISCLI_AUTH|SQL_DSN|REDIS_URL|CONN_STRING)$/;

/**
 * True when a value holds a credential written into the file rather than taken from a variable:
 * whatever remains after removing `${...}` and `$NAME` references and known non-secret parts.
 */
export function hasLiteralSecret(value: string): boolean {
  const stripped = value
    .replace(/\$\{[^}]*\}/g, '')
    .replace(/\$[A-Z_][A-Z0-9_]*/g, '')
    .replace(/^rediss?:\/\/:?@[\w.-]+(:\d+)?(\/\d+)?$/, '')
    .replace(/^\w+:@tcp\([\w.-]+:\d+\)\/\w+$/, '');
  return stripped.trim() !== '';
}
