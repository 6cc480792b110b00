import { AppError } from '../../errors.ts';
import { IngestError } from '../errors.ts';
import { tidyOcrText } from './cleanup.ts';
import { runTool, ToolError } from './run.ts';

/** The OCR languages of a KB unless it says otherwise: simplified Chinese with English. */
export const DEFAULT_OCR_LANGUAGE = 'chi_sim+eng';

/** Tesseract's `-l` syntax: language codes joined by `+`. */
export const OCR_LANGUAGE_PATTERN = /^[a-z][a-z_]{1,30}(\+[a-z][a-z_]{1,30}){0,4}$/i;

/** Recognises the text of one prepared page image (PNG bytes) in the given languages. */
export async function recognize(png: Uint8Array, languages: string): Promise<string> {
  if (!OCR_LANGUAGE_PATTERN.test(languages)) throw new IngestError(`"${languages}" is not a valid OCR language`);
  try {
    const out = await runTool('tesseract', ['stdin', 'stdout', '-l', languages, '--dpi', '300'], png);
    return tidyOcrText(out.toString('utf8'));
  } catch (err) {
    if (err instanceof ToolError && /Failed loading language|Error opening data file/i.test(err.stderr)) {
      const missing = /language '([^']+)'/.exec(err.stderr)?.[1] ?? languages;
      throw new IngestError(
        `The OCR language "${missing}" is not installed on the server (Debian package tesseract-ocr-${missing.replace(/_/g, '-')})`,
      );
    }
    throw err;
  }
}

let installed: Promise<string[]> | undefined;

/** The languages this server's Tesseract can read (`osd` left out); empty when it is not installed. */
export function installedOcrLanguages(): Promise<string[]> {
  installed ??= runTool('tesseract', ['--list-langs'])
    .then((out) =>
      out
        .toString('utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.trim())
        .filter((l) => l && l !== 'osd')
        .sort(),
    )
    .catch(() => []);
  return installed;
}

/**
 * Refuses (400) an OCR language setting naming a language this server's Tesseract lacks. Where
 * Tesseract is not installed at all the setting is kept as given, for when it is.
 */
export async function assertOcrLanguage(languages: string): Promise<void> {
  const available = await installedOcrLanguages();
  if (available.length === 0) return;
  const missing = languages.split('+').filter((l) => !available.includes(l));
  if (missing.length > 0) {
    throw new AppError(
      'validation_failed',
      `ocrLanguage: ${missing.join(', ')} is not installed; available: ${available.join(', ')}`,
    );
  }
}
