// How numbers, bounds and durations read in reason lines: short, stable, the same in every report.
import { secondsToIso } from '../duration.js';
import type { Bound } from '../experiment/schema.js';

/** A value with at most 4 significant digits (`0.7312` → `0.7312`, `1234.5678` → `1235`). */
export function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/** `{max: 250}` → `max 250`, both → `min 3 and max 250`: how a bound reads in a reason line (report.html shows `≤ 250 ms`). */
export function formatBoundInWords(b: Bound): string {
  if (b.min !== undefined && b.max !== undefined) return `min ${formatValue(b.min)} and max ${formatValue(b.max)}`;
  if (b.max !== undefined) return `max ${formatValue(b.max)}`;
  return `min ${formatValue(b.min!)}`;
}

export function formatDuration(seconds: number): string {
  return secondsToIso(seconds);
}

export function formatPercent(ratio: number): string {
  return `${Math.floor(ratio * 1000) / 10} %`;
}

/** A p-value with 2 significant digits. */
export function formatP(p: number): string {
  return String(Number(p.toPrecision(2)));
}
