import { createWriteStream, openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../errors.ts';

/** Where Qdrant answers and how to authenticate. */
export interface QdrantTarget {
  url: string;
  apiKey?: string;
}

/** One collection snapshot stored in an archive. */
export interface QdrantSnapshotFile {
  collection: string;
  file: string;
}

async function call(target: QdrantTarget, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (target.apiKey) headers.set('api-key', target.apiKey);
  const res = await fetch(new URL(path, target.url.endsWith('/') ? target.url : `${target.url}/`), {
    ...init,
    headers,
  });
  if (!res.ok) {
    const body = await res.text().catch(() => '');
    throw new AppError('dependency_unavailable', `Qdrant ${path} answered ${res.status}: ${body.slice(0, 200)}`);
  }
  return res;
}

const enc = encodeURIComponent;

/**
 * Takes a snapshot of every collection, downloads each into `dir` and removes it from the
 * server again (snapshots otherwise pile up on Qdrant's disk).
 */
export async function snapshotCollections(target: QdrantTarget, dir: string): Promise<QdrantSnapshotFile[]> {
  const list = (await (await call(target, 'collections')).json()) as { result: { collections: { name: string }[] } };
  const out: QdrantSnapshotFile[] = [];
  for (const { name } of list.result.collections) {
    const created = (await (
      await call(target, `collections/${enc(name)}/snapshots?wait=true`, { method: 'POST' })
    ).json()) as { result: { name: string } };
    const snapshot = created.result.name;
    const file = `${name}.snapshot`;
    const res = await call(target, `collections/${enc(name)}/snapshots/${enc(snapshot)}`);
    if (!res.body) throw new AppError('dependency_unavailable', `Qdrant sent an empty snapshot for ${name}`);
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(join(dir, file)));
    await call(target, `collections/${enc(name)}/snapshots/${enc(snapshot)}`, { method: 'DELETE' });
    out.push({ collection: name, file });
  }
  return out;
}

/** Uploads snapshot files to Qdrant, recreating each collection from its snapshot. */
export async function restoreCollections(
  target: QdrantTarget,
  dir: string,
  snapshots: QdrantSnapshotFile[],
): Promise<void> {
  for (const { collection, file } of snapshots) {
    const form = new FormData();
    form.set('snapshot', await openAsBlob(join(dir, file)), file);
    await call(target, `collections/${enc(collection)}/snapshots/upload?priority=snapshot&wait=true`, {
      method: 'POST',
      body: form,
    });
  }
}
