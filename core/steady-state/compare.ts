// `expect.compare`: Mann-Whitney U of the fault phase against the baseline. A probe is flagged only
// when the shift is significant AND goes the way that breaks its bound (worse), never for improving.
import type { Bound } from '../experiment/schema.js';
import { type MannWhitneyResult, mannWhitneyU } from '../statistics/mann-whitney.js';
import type { ProbeCheck } from './checks.js';
import { formatBoundInWords, formatP, formatValue } from './format.js';
import type { FilledSeries } from './missing.js';

export type Worse = 'higher' | 'lower';

/** The directions that break a bound: higher for a max, lower for a min (both when it has both). */
export function worseDirections(bound: Bound): Worse[] {
  const out: Worse[] = [];
  if (bound.max !== undefined) out.push('higher');
  if (bound.min !== undefined) out.push('lower');
  return out;
}

export interface Comparison {
  test: 'mann-whitney';
  alpha: number;
  n1: number;
  n2: number;
  u: number;
  pValue: number;
  method: MannWhitneyResult['method'];
  rankBiserial: number;
  /** fault relative to baseline */
  direction: MannWhitneyResult['direction'];
  worse: Worse[];
  flagged: boolean;
}

/** Compares a probe's fault phase with its baseline; undefined comparison when a phase holds no value. */
export function compareCheck(args: {
  probe: string;
  baseline: FilledSeries;
  fault: FilledSeries;
  bound: Bound;
  source: string;
  alpha: number;
  /** the probe's display unit, printed after its bound */
  unit?: string | undefined;
}): { check: ProbeCheck; comparison?: Comparison } {
  const { probe, baseline, fault, bound, source, alpha, unit } = args;
  const x = fault.series.map(([, v]) => v);
  const y = baseline.series.map(([, v]) => v);
  const name = `${probe}.fault.compare`;
  const base = {
    name,
    probe,
    phase: 'fault' as const,
    kind: 'compare' as const,
    bound: { alpha, worse: worseDirections(bound) },
  };
  if (x.length === 0 || y.length === 0) {
    return {
      check: {
        ...base,
        ok: false,
        decided: false,
        observed: { baseline: y.length, fault: x.length },
        message: `${probe} (fault vs baseline): observed ${y.length} baseline and ${x.length} fault datapoints, bound at least one of each to compare`,
      },
    };
  }
  const r = mannWhitneyU(x, y);
  const worse = worseDirections(bound);
  const flagged = r.pValue < alpha && r.direction !== 'none' && worse.includes(r.direction);
  const comparison: Comparison = {
    test: 'mann-whitney',
    alpha,
    n1: r.n1,
    n2: r.n2,
    u: r.u,
    pValue: r.pValue,
    method: r.method,
    rankBiserial: r.rankBiserial,
    direction: r.direction,
    worse,
    flagged,
  };
  const shift = r.direction === 'none' ? 'no shift' : `${flagged ? 'significantly ' : ''}${r.direction} than baseline`;
  const stats = `Mann-Whitney p = ${formatP(r.pValue)}, rank-biserial r = ${formatValue(r.rankBiserial)}`;
  return {
    check: {
      ...base,
      ok: !flagged,
      decided: true,
      observed: { pValue: r.pValue, rankBiserial: r.rankBiserial, direction: r.direction },
      message: `${probe} (fault vs baseline): observed ${shift} (${stats}), bound p ≥ alpha ${formatValue(alpha)} for a shift breaking ${source} ${formatBoundInWords(bound, unit)}`,
    },
    comparison,
  };
}
