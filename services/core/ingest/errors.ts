import { PermanentJobError } from '../queue/index.ts';

/**
 * A failure retrying cannot fix (a broken or unreadable file). Its message is shown to the
 * user as the document's `error`, so it says what is wrong in plain words.
 */
export class IngestError extends PermanentJobError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
  }
}
