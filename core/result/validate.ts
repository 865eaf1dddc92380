// result.json read back (CLI, scorecard): validated against the Result schema, with one line on what is wrong.
import { messageFor } from '../experiment/zod-issues.js';
import { Result } from './model.js';

export function validateResult(raw: unknown): Result | string {
  const parsed = Result.safeParse(raw, { error: messageFor });
  if (parsed.success) return parsed.data;
  return parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
