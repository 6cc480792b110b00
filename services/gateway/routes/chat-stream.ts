import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { SessionTurn } from '../../core/chat/ask.ts';
import { toLlmError } from '../../core/llm/errors.ts';
import type { AppEnv } from '../../http/env.ts';

/**
 * Streams a turn as SSE: `token` events (`{text}`), then `citations`, then `done` with the
 * stored message; `error` (`{code, message}`) if the model fails mid-answer. The first piece
 * is awaited before the stream opens, so a gateway that is down still gets a JSON error.
 */
export async function streamAnswer(c: Context<AppEnv>, turn: SessionTurn, opts: { keepAliveMs: number }) {
  const abort = new AbortController();
  const iterator = turn.prepared.stream(abort.signal)[Symbol.asyncIterator]();
  const first = await iterator.next();
  c.header('Cache-Control', 'no-cache');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => abort.abort());
    const keepAlive = setInterval(() => {
      void stream.write(': keep-alive\n\n');
    }, opts.keepAliveMs);
    let text = '';
    try {
      for (let r = first; !r.done; r = await iterator.next()) {
        text += r.value;
        await stream.writeSSE({ event: 'token', data: JSON.stringify({ text: r.value }) });
      }
      const saved = turn.save(text);
      await stream.writeSSE({ event: 'citations', data: JSON.stringify(saved.citations) });
      await stream.writeSSE({ event: 'done', data: JSON.stringify({ message: saved.message }) });
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = toLlmError(err);
      c.get('logger').warn({ code: e.code }, 'chat stream failed');
      await stream.writeSSE({ event: 'error', data: JSON.stringify({ code: e.code, message: e.message }) });
    } finally {
      clearInterval(keepAlive);
    }
  });
}
