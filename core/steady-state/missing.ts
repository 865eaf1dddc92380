// Missing datapoints are never a pass: each probe's `missing` policy (DESIGN §2) is applied to
// the period slots a window should hold before any bound is checked.
import type { MissingPolicy, Probe } from '../experiment/schema.js';
import type { Series, TimeWindow } from '../ports.js';

/** Share of expected periods that must hold a datapoint for an `ignore` probe's check to be decided. */
export const MIN_COVERAGE = 0.8;

/** The probe's policy, or its default: zero for Sum/SampleCount (AWS omits zero counts), otherwise ignore. */
export function defaultMissing(probe: Probe): MissingPolicy {
  if (probe.missing) return probe.missing;
  const stat = probe.metric?.stat;
  return stat === 'Sum' || stat === 'SampleCount' ? 'zero' : 'ignore';
}

export interface FilledSeries {
  policy: MissingPolicy;
  /** datapoints in the window, ascending; under `zero` the empty slots hold 0 */
  series: Series;
  /** empty slots under `breach`: each counts as out of bounds */
  breaches: number[];
  /** period slots the window holds */
  expected: number;
  /** slots that held a real datapoint (before filling) */
  present: number;
  /** present / expected (0 when the window holds no slot) */
  coverage: number;
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/**
 * Lays the window on a grid of period slots and fills the empty ones per `policy`. The grid follows
 * the datapoints' own phase (MetricSource timestamps are period starts), or the window start when
 * there is none; points outside [start, end) are dropped. Input order does not matter.
 */
export function applyMissing(
  series: Series,
  window: TimeWindow,
  periodSeconds: number,
  policy: MissingPolicy,
): FilledSeries {
  const period = periodSeconds * 1000;
  if (!(period > 0)) throw new RangeError(`period must be positive, got ${periodSeconds} s`);
  const inWindow = series
    .filter(([t, v]) => t >= window.start && t < window.end && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const phase = mod(inWindow[0]?.[0] ?? window.start, period);
  const firstSlot = window.start + mod(phase - window.start, period);
  const slotOf = (t: number): number => t - mod(t - phase, period);
  const occupied = new Set(inWindow.map(([t]) => slotOf(t)));
  const slots: number[] = [];
  for (let t = firstSlot; t < window.end; t += period) slots.push(t);
  const present = occupied.size;
  const empty = slots.filter((s) => !occupied.has(s));
  const expected = slots.length;
  const filled: Series =
    policy === 'zero'
      ? [...inWindow, ...empty.map((t): [number, number] => [t, 0])].sort((a, b) => a[0] - b[0] || a[1] - b[1])
      : inWindow;
  return {
    policy,
    series: filled,
    breaches: policy === 'breach' ? empty : [],
    expected,
    present,
    coverage: expected === 0 ? 0 : Math.min(1, present / expected),
  };
}
