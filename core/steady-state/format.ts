// How numbers, bounds and durations read in reason lines: short, stable, the same in every report.
import { secondsToIso } from '../duration.js';
import type { Bound } from '../experiment/schema.js';
import { shortUnit } from '../report/format.js';

/**
 * A value with at most 4 significant digits (`0.7312` → `0.7312`, `1234.5678` → `1235`), followed by the probe's
 * unit when it has one (`0.73 s`, `12 %`; `Milliseconds` → `ms`, a count shows none).
 */
export function formatValue(v: number, unit?: string): string {
  const digits = Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return `${digits}${unitSuffix(unit)}`;
}

/** `{max: 250}` → `max 250 ms`, both → `min 3 and max 250 ms`: how a bound reads in a reason line (report.html shows `≤ 250 ms`). */
export function formatBoundInWords(b: Bound, unit?: string): string {
  const value = (v: number) => formatValue(v, unit);
  if (b.min !== undefined && b.max !== undefined) return `min ${value(b.min)} and max ${value(b.max)}`;
  if (b.max !== undefined) return `max ${value(b.max)}`;
  return `min ${value(b.min!)}`;
}

/** ` ms`, ` s`, ` %` for a probe's unit (short forms as the report shows them); nothing for Count, None or no unit. */
function unitSuffix(unit: string | undefined): string {
  const short = unit ? shortUnit(unit) : '';
  return short && short !== 'None' ? ` ${short}` : '';
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
