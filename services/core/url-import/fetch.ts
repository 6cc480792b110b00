import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { IngestError } from '../ingest/errors.ts';
import { addressRefusal } from './address.ts';

/** Every address a host name resolves to. */
export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface FetchPolicy {
  /** Allow loopback, private and CGNAT addresses (URL_IMPORT_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  resolve?: Resolver;
}

export interface FetchedPage {
  bytes: Buffer;
  /** The media type the server named, lower case, without parameters. */
  contentType: string;
  /** The address after redirects. */
  url: string;
}

/** A URL that cannot or may not be imported: the reason is for the user. */
export class UrlRefusedError extends IngestError {
  constructor(message: string) {
    super(message);
    this.name = 'UrlRefusedError';
  }
}

/** Parses an address to import: http(s) only, no credentials in it. */
export function parseImportUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UrlRefusedError('That is not a valid web address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UrlRefusedError('Only http and https addresses can be imported');
  }
  if (url.username || url.password) throw new UrlRefusedError('Addresses with a user name or password are refused');
  url.hash = '';
  return url;
}

/**
 * The address to connect to for `url`: every address its host resolves to must be allowed
 * (so a name that also points inside cannot slip through), and the first is used, so the
 * connection goes to the address checked, never through a second lookup.
 */
export async function allowedAddress(url: URL, policy: FetchPolicy): Promise<string> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(host);
    } catch {
      throw new UrlRefusedError(`The host ${host} could not be found`);
    }
  }
  if (addresses.length === 0) throw new UrlRefusedError(`The host ${host} could not be found`);
  for (const address of addresses) {
    const refusal = addressRefusal(address, policy.allowPrivate);
    if (refusal) {
      const hint = /loopback|private|CGNAT/.test(refusal)
        ? ' (URL_IMPORT_ALLOW_PRIVATE=true allows intranet sites)'
        : '';
      throw new UrlRefusedError(`${host} resolves to ${refusal}; importing from it is refused${hint}`);
    }
  }
  return addresses[0] as string;
}

function request(url: URL, address: string, signal: AbortSignal): Promise<http.IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const options: https.RequestOptions = {
    host: address,
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    method: 'GET',
    agent: false,
    signal,
    headers: {
      host: url.host,
      'user-agent': 'Mozilla/5.0 (compatible; ContextOS web import)',
      accept: 'text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    },
    // The certificate is checked against the host name, not the address connected to.
    ...(isIP(host) ? {} : { servername: host }),
  };
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(options, resolve);
    req.once('error', reject);
    req.end();
  });
}

function decoded(res: http.IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(createGunzip());
  if (encoding === 'deflate') return res.pipe(createInflate());
  if (encoding === 'br') return res.pipe(createBrotliDecompress());
  return res;
}

/** The body, unpacked, refused past `maxBytes` whatever Content-Length claims. */
async function readBody(res: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    res.destroy();
    throw new UrlRefusedError(`The page is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of decoded(res)) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      res.destroy();
      throw new UrlRefusedError(`The page is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    }
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a web page for import, safe by default: http(s) only, every hop's host resolved and
 * checked before connecting (redirects included, at most `maxRedirects`), the connection made
 * to the checked address, the body limited in size and the whole fetch in time. Refusals and
 * 4xx answers are UrlRefusedError (permanent); timeouts, 5xx and 429 plain errors (retried).
 */
export async function fetchPage(raw: string, policy: FetchPolicy): Promise<FetchedPage> {
  const signal = AbortSignal.timeout(policy.timeoutMs);
  let url = parseImportUrl(raw);
  try {
    for (let hop = 0; ; hop++) {
      const res = await request(url, await allowedAddress(url, policy), signal);
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        res.resume();
        const location = res.headers.location;
        if (!location) throw new UrlRefusedError(`The page answered ${status} without a Location`);
        if (hop >= policy.maxRedirects) {
          throw new UrlRefusedError(`The page redirected more than ${policy.maxRedirects} times`);
        }
        url = parseImportUrl(new URL(location, url).href);
        continue;
      }
      if (status >= 500 || status === 429) {
        res.resume();
        throw new Error(`the page answered ${status}`);
      }
      if (status >= 400 || status < 200) {
        res.resume();
        throw new UrlRefusedError(`The page answered ${status}`);
      }
      const bytes = await readBody(res, policy.maxBytes);
      const contentType = String(res.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim()
        .toLowerCase();
      return { bytes, contentType: contentType ?? '', url: url.href };
    }
  } catch (err) {
    if (signal.aborted) throw new Error(`fetching the page took longer than ${policy.timeoutMs / 1000} s`);
    throw err;
  }
}
