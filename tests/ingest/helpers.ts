import type { client } from '../helpers/http.ts';

type Client = ReturnType<typeof client>;

/** A multipart body with one `file` field. */
export function fileForm(name: string, bytes: Uint8Array | string): FormData {
  const form = new FormData();
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  form.append('file', new File([new Uint8Array(data)], name));
  return form;
}

/** Polls a document until it leaves queued/processing (or `timeoutMs` passes). */
export async function waitForDocument(api: Client, token: string, id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.call('GET', `/api/documents/${id}`, { token });
    const doc = r.json?.document;
    if (doc && (doc.status === 'completed' || doc.status === 'failed')) return doc;
    if (Date.now() > deadline) throw new Error(`document ${id} still ${doc?.status} after ${timeoutMs} ms: ${r.text}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
