// Small text helpers shared by the AWS commands: JSON output, aligned tables, run durations.
import { formatSeconds } from '../../core/report/format.js';
import type { CliIo } from '../errors.js';

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Columns padded to their widest cell; the last column is not padded (it is often a long link). */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

/** Seconds between two ISO times, or undefined when either is missing or unreadable. */
export function secondsBetween(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined;
  const seconds = (Date.parse(end) - Date.parse(start)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

export function formatDuration(seconds: number | undefined): string {
  return seconds === undefined ? '—' : formatSeconds(seconds);
}

/** Run ids are execution names: 1-80 characters of letters, digits, `-` and `_`. */
export const RUN_ID = /^[A-Za-z0-9_-]{1,80}$/;
