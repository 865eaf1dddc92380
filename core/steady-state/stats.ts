// Per-phase statistics of a probe for result.json and the report (JSON-safe: null when no datapoint).
import type { FilledSeries } from './missing.js';

export interface PhaseStats {
  count: number;
  expected: number;
  coverage: number;
  /** empty slots counted as breaches (missing: breach) */
  breaches: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  p50: number | null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function phaseStats(filled: FilledSeries): PhaseStats {
  const values = filled.series.map(([, v]) => v);
  // Sorting first makes the sum, and so the mean, independent of the datapoints' order.
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: values.length,
    expected: filled.expected,
    coverage: filled.coverage,
    breaches: filled.breaches.length,
    min: sorted.length ? sorted[0]! : null,
    max: sorted.length ? sorted[sorted.length - 1]! : null,
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null,
    p50: median(sorted),
  };
}
