// Small text helpers shared by the AWS commands: JSON output, aligned tables, run durations.
import { table as alignedTable, formatSeconds, secondsBetween as isoSecondsBetween } from '../../core/report/format.js';
import type { CliIo } from '../errors.js';

/**
 * Pretty JSON. JSON.stringify escapes U+0000-U+001F inside strings but leaves DEL and the C1 controls (U+0080-U+009F,
 * CSI among them) raw: those are written as \u escapes too, so the output is as safe on a terminal as it is the same
 * value to a parser. Raw newlines left are the indentation's own.
 */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(
    `${JSON.stringify(value, null, 2).replace(/[^\P{Cc}\n]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`,
  );
}

/** An aligned table (core/report/format.ts), ending with a newline as command output does. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return `${alignedTable(headers, rows)}\n`;
}

/** Seconds between two ISO times, or undefined when either is missing or unreadable. */
export function secondsBetween(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined;
  const seconds = isoSecondsBetween(start, end);
  return seconds !== undefined && seconds >= 0 ? seconds : undefined;
}

export function formatDuration(seconds: number | undefined): string {
  return seconds === undefined ? '—' : formatSeconds(seconds);
}

/** Run ids are execution names: 1-80 characters of letters, digits, `-` and `_`. */
export const RUN_ID = /^[A-Za-z0-9_-]{1,80}$/;
