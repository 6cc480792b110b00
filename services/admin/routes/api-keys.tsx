import { Hono } from 'hono';
import { z } from 'zod';
import type { KbWithRole } from '../../core/access/index.ts';
import { createApiKey, listApiKeys, type PublicApiKey, revokeApiKey } from '../../core/auth/api-keys.ts';
import type { Deps } from '../../core/deps.ts';
import { listKbs } from '../../core/kbs/index.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { checkbox, type FieldErrors, listField, readForm } from '../forms.ts';
import type { Dict } from '../i18n/index.ts';
import { ActionButton, Field } from '../views/form.tsx';
import { formatTime } from '../views/kb-nav.tsx';
import { fragmentOrPage, page } from '../views/render.tsx';

const keySchema = z.object({
  name: z.string().trim().min(1, 'vRequired').max(100, 'vTooLong'),
  kbIds: listField(z.string().max(100)).pipe(z.array(z.string()).max(100)),
  readOnly: checkbox(),
});

/** What a key may reach, in words: its KBs by title (or all of them) and whether it may write. */
function Scope({ t, apiKey, titles }: { t: Dict; apiKey: PublicApiKey; titles: Map<string, string> }) {
  const kbs = apiKey.kbIds ? apiKey.kbIds.map((id) => titles.get(id) ?? id).join(', ') : t.keyAllKbs;
  return (
    <span class="key-scope">
      {kbs} · {apiKey.readOnly ? t.keyReadOnly : t.keyReadWrite}
    </span>
  );
}

function KeysPanel(p: {
  c: AdminContext;
  keys: PublicApiKey[];
  kbs: KbWithRole[];
  created?: string;
  name?: string;
  errors: FieldErrors;
}) {
  const t = p.c.get('t');
  const locale = p.c.get('locale');
  const titles = new Map(p.kbs.map((kb) => [kb.id, kb.title]));
  return (
    <div id="keys-panel" class="stack">
      {p.created && (
        <div class="alert alert-success" role="status">
          <p>{t.keyShownOnce}</p>
          <code class="secret" id="new-key">
            {p.created}
          </code>
        </div>
      )}
      <form
        method="post"
        action="/account/api-keys"
        class="card stack narrow-left"
        hx-post="/account/api-keys"
        hx-target="#keys-panel"
        hx-swap="outerHTML"
      >
        <Field t={t} label={t.keyName} name="name" value={p.name} error={p.errors.name} required maxlength={100} />
        {p.kbs.length > 0 && (
          <fieldset class="field key-kbs">
            <legend>{t.keyKbsLabel}</legend>
            {p.kbs.map((kb) => (
              <label class="check">
                <input type="checkbox" name="kbIds" value={kb.id} /> {kb.title}
              </label>
            ))}
          </fieldset>
        )}
        <label class="check">
          <input type="checkbox" name="readOnly" value="true" /> {t.keyReadOnlyLabel}
        </label>
        <button type="submit" class="primary">
          {t.keyCreate}
        </button>
      </form>
      {p.keys.length === 0 ? (
        <p class="empty">{t.keysEmpty}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.keyName}</th>
                <th scope="col">{t.keyPrefix}</th>
                <th scope="col">{t.keyScope}</th>
                <th scope="col">{t.created}</th>
                <th scope="col">{t.keyLastUsed}</th>
                <th scope="col">
                  <span class="visually-hidden">{t.docActions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.keys.map((k) => (
                <tr>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>
                    <Scope t={t} apiKey={k} titles={titles} />
                  </td>
                  <td>{formatTime(k.createdAt, locale)}</td>
                  <td>{k.lastUsedAt ? formatTime(k.lastUsedAt, locale) : t.keyNever}</td>
                  <td>
                    <ActionButton
                      action={`/account/api-keys/${k.id}/revoke`}
                      label={t.keyRevoke}
                      confirm={t.keyRevokeConfirm}
                      variant="danger"
                      target="#keys-panel"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** API keys: create (the key is shown once), list, revoke. */
export function apiKeyPages(deps: Deps) {
  const render = (
    c: AdminContext,
    panel: { created?: string; name?: string; errors?: FieldErrors },
    status: 200 | 201 | 400 = 200,
  ) => {
    const t = c.get('t');
    const body = (
      <KeysPanel
        c={c}
        keys={listApiKeys(deps.db, c.get('user').id)}
        kbs={listKbs(deps.db, { userId: c.get('user').id })}
        errors={panel.errors ?? {}}
        created={panel.created}
        name={panel.name}
      />
    );
    return fragmentOrPage(
      c,
      body,
      () =>
        page(
          c,
          t.keysTitle,
          <section class="stack">
            <h1>{t.keysTitle}</h1>
            <p class="muted">{t.keysIntro}</p>
            {body}
          </section>,
          status,
        ),
      status,
    );
  };

  return new Hono<AdminEnv>()
    .get('/', (c) => render(c, {}))
    .post('/', async (c) => {
      const form = await readForm(c, keySchema);
      if (!form.ok) return render(c, { name: form.values.name, errors: form.errors }, 400);
      const { name, kbIds, readOnly } = form.data;
      const { key } = createApiKey(deps.db, c.get('principal'), {
        name,
        kbIds: kbIds.length ? kbIds : undefined,
        readOnly,
      });
      return render(c, { created: key }, 201);
    })
    .post('/:id/revoke', (c) => {
      revokeApiKey(deps.db, c.get('principal'), c.req.param('id'));
      return render(c, {});
    });
}
