import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { ask, startTurn } from '../../core/chat/ask.ts';
import {
  createSession,
  DEFAULT_TITLE,
  deleteSession,
  getSession,
  listMessages,
  listSessions,
} from '../../core/chat/sessions.ts';
import type { Deps } from '../../core/deps.ts';
import { getKb } from '../../core/kbs/index.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { MessageView } from '../views/chat.tsx';
import { asAppError, ErrorBox, errorMessage } from '../views/error.tsx';
import { ActionButton, Field } from '../views/form.tsx';
import { KbHeader } from '../views/kb-nav.tsx';
import { page, redirectTo } from '../views/render.tsx';

const messageSchema = z.object({ content: z.string().trim().min(1, 'vRequired').max(4000, 'vTooLong') });

/** Chat: conversations per KB, answers streamed as server-sent events with clickable citations. */
export function chatPages(deps: Deps) {
  const chatPage = (c: AdminContext, kbId: string, sessionId?: string) => {
    const t = c.get('t');
    const who = c.get('principal');
    const kb = getKb(deps.db, who, kbId);
    const sessions = listSessions(deps.db, who, kb.id);
    const messages = sessionId ? listMessages(deps.db, who, sessionId) : [];
    return page(
      c,
      `${t.chatTitle} · ${kb.title}`,
      <>
        <KbHeader t={t} kb={kb} tab="chat" />
        <div class="chat">
          <aside aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t.chatSessions}</h2>
            {sessions.length === 0 ? (
              <p class="muted">{t.chatEmpty}</p>
            ) : (
              <ul class="sessions">
                {sessions.map((s) => (
                  <li>
                    <a
                      href={`/chat/${s.id}`}
                      aria-current={s.id === sessionId ? 'page' : undefined}
                      data-untitled={s.title === DEFAULT_TITLE ? 'true' : undefined}
                    >
                      {s.title === DEFAULT_TITLE ? t.chatUntitled : s.title}
                    </a>
                  </li>
                ))}
              </ul>
            )}
            <form method="post" action={`/kbs/${kb.id}/chat`}>
              <button type="submit">{t.chatNew}</button>
            </form>
          </aside>
          <section aria-label={t.chatTitle}>
            {sessionId ? (
              <>
                <div id="messages" class="messages" aria-live="polite">
                  {messages.length === 0 && (
                    <p class="muted" id="chat-empty">
                      {t.chatNoMessages}
                    </p>
                  )}
                  {messages.map((m) => (
                    <MessageView t={t} message={m} />
                  ))}
                </div>
                <form
                  method="post"
                  action={`/chat/${sessionId}/messages`}
                  class="composer card"
                  data-chat-stream
                  data-thinking={t.chatThinking}
                >
                  <Field t={t} label={t.chatMessage} name="content" multiline rows={2} required maxlength={4000} />
                  <button type="submit" class="primary">
                    {t.chatSend}
                  </button>
                </form>
                <div class="after-composer">
                  <ActionButton action={`/chat/${sessionId}/delete`} label={t.chatDelete} variant="danger" />
                </div>
              </>
            ) : (
              <p class="empty">{t.chatNoMessages}</p>
            )}
          </section>
        </div>
      </>,
    );
  };

  return new Hono<AdminEnv>()
    .get('/kbs/:kbId/chat', (c) => {
      const latest = listSessions(deps.db, c.get('principal'), c.req.param('kbId'))[0];
      return latest ? c.redirect(`/chat/${latest.id}`, 302) : chatPage(c, c.req.param('kbId'));
    })
    .post('/kbs/:kbId/chat', (c) => {
      const session = createSession(deps.db, c.get('principal'), { kbId: c.req.param('kbId') });
      return redirectTo(c, `/chat/${session.id}`);
    })
    .get('/chat/:id', (c) => {
      const session = getSession(deps.db, c.get('principal'), c.req.param('id'));
      return chatPage(c, session.kbId, session.id);
    })
    .post('/chat/:id/delete', (c) => {
      const session = getSession(deps.db, c.get('principal'), c.req.param('id'));
      deleteSession(deps.db, c.get('principal'), session.id);
      return redirectTo(c, `/kbs/${session.kbId}/chat`);
    })
    .post('/chat/:id/messages', async (c) => {
      const who = c.get('principal');
      const session = getSession(deps.db, who, c.req.param('id'));
      const t = c.get('t');
      const parsed = messageSchema.safeParse(await c.req.parseBody());
      if (!parsed.success) return c.redirect(`/chat/${session.id}`, 303);
      const content = parsed.data.content;
      if (!c.req.header('accept')?.includes('text/event-stream')) {
        await ask(deps, who, session.id, content, c.req.raw.signal);
        return c.redirect(`/chat/${session.id}`, 303);
      }
      return streamSSE(c, async (stream) => {
        try {
          const turn = await startTurn(deps, who, session.id, content);
          let answer = '';
          for await (const delta of turn.prepared.stream(c.req.raw.signal)) {
            answer += delta;
            await stream.writeSSE({ event: 'delta', data: JSON.stringify(delta) });
          }
          const { message } = turn.save(answer);
          const html = await (
            <>
              <MessageView t={t} message={{ role: 'user', content, citations: [] }} />
              <MessageView t={t} message={message} />
            </>
          ).toString();
          await stream.writeSSE({ event: 'done', data: JSON.stringify(html) });
        } catch (err) {
          const e = asAppError(err, c);
          const html = await (<ErrorBox t={t} message={errorMessage(t, e.code, e.message)} />).toString();
          await stream.writeSSE({ event: 'error', data: JSON.stringify(html) });
        }
      });
    });
}
