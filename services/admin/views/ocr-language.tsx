import type { KnowledgeBase } from '../../core/kbs/index.ts';
import type { Dict, MessageKey } from '../i18n/index.ts';

const NAMES: Record<string, MessageKey> = {
  chi_sim: 'langChiSim',
  chi_tra: 'langChiTra',
  eng: 'langEng',
  jpn: 'langJpn',
};

/** "chi_sim+eng" as "Chinese (simplified) + English" in the console's language. */
export const languageLabel = (t: Dict, code: string) =>
  code
    .split('+')
    .map((l) => {
      const key = NAMES[l];
      return key ? t[key] : l;
    })
    .join(' + ');

/** The choices: Chinese with English first, then each installed language alone, and the KB's own. */
export function ocrChoices(installed: string[], current: string): string[] {
  const choices = installed.includes('chi_sim') && installed.includes('eng') ? ['chi_sim+eng'] : [];
  if (installed.includes('chi_tra') && installed.includes('eng')) choices.push('chi_tra+eng');
  choices.push(...installed);
  if (!choices.includes(current)) choices.unshift(current);
  return choices;
}

/** The KB's OCR language, for images and PDF pages without a text layer. */
export function OcrLanguageForm({ t, kb, installed }: { t: Dict; kb: KnowledgeBase; installed: string[] }) {
  return (
    <form id="ocr-form" method="post" action={`/kbs/${kb.id}/ocr`} class="card stack">
      <h3>{t.ocrTitle}</h3>
      {installed.length === 0 && <p class="error">{t.ocrMissing}</p>}
      <div class="field">
        <label for="f-ocr">{t.ocrLanguage}</label>
        <select id="f-ocr" name="ocrLanguage" aria-describedby="f-ocr-hint">
          {ocrChoices(installed, kb.ocrLanguage).map((code) => (
            <option value={code} selected={code === kb.ocrLanguage}>
              {languageLabel(t, code)}
            </option>
          ))}
        </select>
        <p class="hint" id="f-ocr-hint">
          {t.ocrHint}
        </p>
      </div>
      <button type="submit">{t.ocrSave}</button>
    </form>
  );
}
