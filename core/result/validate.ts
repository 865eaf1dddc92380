// result.json read back (CLI, scorecard): validated against the Result schema, with one line on what is wrong.
import { messageFor } from '../experiment/zod-issues.js';
import { Result } from './model.js';

/**
 * The largest result.json read back. A run carries at most MAX_DATAPOINTS_PER_RUN datapoints (~160 KB of series,
 * rules/payload-size.ts), and a ramp keeps one such set per step reached: real results stay within a few MB, so a
 * larger file is something else (a log, a dump, a device) and is refused before it fills memory.
 */
export const MAX_RESULT_BYTES = 10 * 1024 * 1024;

export function validateResult(raw: unknown): Result | string {
  const parsed = Result.safeParse(raw, { error: messageFor });
  if (parsed.success) return parsed.data;
  return parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
