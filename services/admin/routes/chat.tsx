import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { ask, startTurn } from '../../core/chat/ask.ts';
import {
  type ChatSession,
  createSession,
  DEFAULT_TITLE,
  deleteSession,
  getSession,
  listMessages,
  listSessions,
} from '../../core/chat/sessions.ts';
import type { Deps } from '../../core/deps.ts';
import { getKb } from '../../core/kbs/index.ts';
import { toAppError } from '../../http/errors.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { readForm } from '../forms.ts';
import type { Dict } from '../i18n/index.ts';
import { MessageView } from '../views/chat.tsx';
import { ErrorBox, errorMessage } from '../views/error.tsx';
import { ActionButton, Field } from '../views/form.tsx';
import { KbHeader } from '../views/kb-nav.tsx';
import { page, redirectTo } from '../views/render.tsx';

const messageSchema = z.object({ content: z.string().trim().min(1, 'vRequired').max(4000, 'vTooLong') });

/** One conversation in the sidebar; a new one is untitled until its first question names it. */
function SessionItem({ t, session, current }: { t: Dict; session: ChatSession; current: boolean }) {
  return (
    <li>
      <a
        href={`/chat/${session.id}`}
        aria-current={current ? 'page' : undefined}
        data-untitled={session.title === DEFAULT_TITLE ? 'true' : undefined}
      >
        {session.title === DEFAULT_TITLE ? t.chatUntitled : session.title}
      </a>
    </li>
  );
}

/**
 * Chat: conversations per KB, answers streamed as server-sent events with clickable citations.
 * A KB's chat page offers the question box at once; its first question starts a conversation.
 */
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
            {sessions.length === 0 && (
              <p class="muted" id="sessions-empty">
                {t.chatEmpty}
              </p>
            )}
            <ul class="sessions">
              {sessions.map((s) => (
                <SessionItem t={t} session={s} current={s.id === sessionId} />
              ))}
            </ul>
            <form method="post" action={`/kbs/${kb.id}/chat`}>
              <button type="submit">{t.chatNew}</button>
            </form>
          </aside>
          <section aria-label={t.chatTitle}>
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
              action={sessionId ? `/chat/${sessionId}/messages` : `/kbs/${kb.id}/chat/messages`}
              class="composer card"
              data-chat-stream
              data-thinking={t.chatThinking}
            >
              <Field t={t} label={t.chatMessage} name="content" multiline rows={2} required maxlength={4000} />
              <button type="submit" class="primary">
                {t.chatSend}
              </button>
            </form>
            {sessionId && (
              <div class="after-composer">
                <ActionButton action={`/chat/${sessionId}/delete`} label={t.chatDelete} variant="danger" />
              </div>
            )}
          </section>
        </div>
      </>,
    );
  };

  /**
   * Answers `content` in `session`: streamed when the browser asks for server-sent events (a
   * conversation the question just started is announced first, so the page can adopt it), else
   * stored and shown by going back to the conversation.
   */
  const answer = async (c: AdminContext, session: ChatSession, content: string, started: boolean) => {
    const who = c.get('principal');
    const t = c.get('t');
    if (!c.req.header('accept')?.includes('text/event-stream')) {
      await ask(deps, who, session.id, content, c.req.raw.signal);
      return c.redirect(`/chat/${session.id}`, 303);
    }
    return streamSSE(c, async (stream) => {
      try {
        if (started) {
          const item = await (<SessionItem t={t} session={session} current />).toString();
          const data = { url: `/chat/${session.id}`, action: `/chat/${session.id}/messages`, item };
          await stream.writeSSE({ event: 'session', data: JSON.stringify(data) });
        }
        const turn = await startTurn(deps, who, session.id, content);
        let text = '';
        for await (const delta of turn.prepared.stream(c.req.raw.signal)) {
          text += delta;
          await stream.writeSSE({ event: 'delta', data: JSON.stringify(delta) });
        }
        const { message } = turn.save(text);
        const html = await (
          <>
            <MessageView t={t} message={{ role: 'user', content, citations: [] }} />
            <MessageView t={t} message={message} />
          </>
        ).toString();
        await stream.writeSSE({ event: 'done', data: JSON.stringify(html) });
      } catch (err) {
        const html = await (<ErrorBox t={t} message={errorMessage(t, toAppError(err, c))} />).toString();
        await stream.writeSSE({ event: 'error', data: JSON.stringify(html) });
      }
    });
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
    .post('/kbs/:kbId/chat/messages', async (c) => {
      const kb = getKb(deps.db, c.get('principal'), c.req.param('kbId'));
      const form = await readForm(c, messageSchema);
      if (!form.ok) return c.redirect(`/kbs/${kb.id}/chat`, 303);
      const session = createSession(deps.db, c.get('principal'), { kbId: kb.id });
      return answer(c, session, form.data.content, true);
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
      const session = getSession(deps.db, c.get('principal'), c.req.param('id'));
      const form = await readForm(c, messageSchema);
      if (!form.ok) return c.redirect(`/chat/${session.id}`, 303);
      return answer(c, session, form.data.content, false);
    });
}
