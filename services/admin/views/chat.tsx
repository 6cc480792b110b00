import type { StoredMessage } from '../../core/chat/types.ts';
import type { Dict } from '../i18n/index.ts';
import { AnswerText, citationHref } from './answer-text.tsx';

export { citationHref };

/** One message of a conversation; an assistant message lists its sources. */
export function MessageView({
  t,
  message,
}: {
  t: Dict;
  message: Pick<StoredMessage, 'role' | 'content' | 'citations'>;
}) {
  if (message.role === 'user') {
    return (
      <div class="message message-user">
        <div class="who">{t.chatYou}</div>
        <p class="content">{message.content}</p>
      </div>
    );
  }
  return (
    <div class="message message-assistant">
      <div class="who">{t.chatAssistant}</div>
      <AnswerText content={message.content} citations={message.citations} />
      {message.citations.length > 0 && (
        <details class="sources" open>
          <summary>{t.chatSources}</summary>
          <ol class="citations">
            {message.citations.map((c) => (
              <li value={c.index}>
                <a href={citationHref(c)} class="citation-link">
                  {c.fileName}
                </a>{' '}
                <span class="muted">— {c.quote.length > 140 ? `${c.quote.slice(0, 140)}…` : c.quote}</span>
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
