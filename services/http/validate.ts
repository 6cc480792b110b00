import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { AppError } from '../core/errors.ts';

/**
 * `zValidator` that fails with the contract's 400: code `validation_failed`, a message naming
 * the first bad field, and every issue in `details`.
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const first = issues[0];
      const message = first ? `${first.path || target}: ${first.message}` : 'Invalid request';
      throw new AppError('validation_failed', message, 400, { issues });
    }
  });
}
