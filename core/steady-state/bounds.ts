// Checks one probe's filled series against a bound over one phase. An observed breach is decided
// whatever the coverage; otherwise an `ignore` probe needs enough datapoints to be decided.
import type { Bound } from '../experiment/schema.js';
import type { PhaseName } from '../result/model.js';
import type { ProbeCheck, ProbeCheckKind } from './checks.js';
import { formatBoundInWords, formatPercent, formatValue } from './format.js';
import { type FilledSeries, MIN_COVERAGE } from './missing.js';

export function isWithin(value: number, bound: Bound): boolean {
  return (bound.max === undefined || value <= bound.max) && (bound.min === undefined || value >= bound.min);
}

/** Whether a probe's data in a phase is complete enough to decide a check that saw no breach. */
export function coverageCheck(probe: string, phase: PhaseName, filled: FilledSeries): ProbeCheck | undefined {
  const needsCoverage = filled.policy === 'ignore' || filled.expected === 0;
  if (!needsCoverage) return undefined;
  const enough = filled.expected > 0 && filled.present >= 1 && filled.coverage >= MIN_COVERAGE;
  const observed = { datapoints: filled.present, expected: filled.expected, coverage: filled.coverage };
  const bound = { minCoverage: MIN_COVERAGE, minDatapoints: 1 };
  const message =
    filled.expected === 0
      ? `${probe} (${phase} phase): observed no period slot (the phase is shorter than one period), bound at least one datapoint to decide`
      : `${probe} (${phase} phase): observed ${filled.present} of ${filled.expected} datapoints (${formatPercent(filled.coverage)}), bound ≥ ${formatPercent(MIN_COVERAGE)} and at least one to decide (missing: ${filled.policy})`;
  return {
    name: `${probe}.${phase}.coverage`,
    probe,
    phase,
    kind: 'coverage',
    ok: enough,
    decided: enough,
    observed,
    bound,
    message,
  };
}

/**
 * The checks that `filled` stays within `bound` over `phase`: a coverage check where one applies,
 * and the bound check unless it cannot be decided (no breach seen and too few datapoints).
 */
export function boundChecks(args: {
  probe: string;
  phase: PhaseName;
  kind: Extract<ProbeCheckKind, 'baseline' | 'during'>;
  filled: FilledSeries;
  bound: Bound;
  /** where the bound comes from, for the reason line: `tolerance` or `expect.during` */
  source: string;
  /** the probe's display unit, printed after its values and bounds */
  unit?: string | undefined;
}): ProbeCheck[] {
  const { probe, phase, kind, filled, bound, source, unit } = args;
  const values = filled.series.map(([, v]) => v);
  // A loop, not Math.min(...values): an hour of 1-second datapoints must not overflow the call stack.
  let lo: number | undefined;
  let hi: number | undefined;
  for (const v of values) {
    if (lo === undefined || v < lo) lo = v;
    if (hi === undefined || v > hi) hi = v;
  }
  const breachParts: string[] = [];
  if (bound.max !== undefined && hi !== undefined && hi > bound.max) breachParts.push(`max ${formatValue(hi, unit)}`);
  if (bound.min !== undefined && lo !== undefined && lo < bound.min) breachParts.push(`min ${formatValue(lo, unit)}`);
  if (filled.breaches.length > 0) {
    breachParts.push(
      `${filled.breaches.length} missing datapoint${filled.breaches.length === 1 ? '' : 's'} (missing: breach)`,
    );
  }
  const coverage = coverageCheck(probe, phase, filled);
  const out: ProbeCheck[] = coverage ? [coverage] : [];
  const observed = { min: lo ?? null, max: hi ?? null, datapoints: values.length, breaches: filled.breaches.length };
  const name = `${probe}.${phase}.${kind}`;
  const boundText = `bound ${source} ${formatBoundInWords(bound, unit)}`;
  if (breachParts.length > 0) {
    out.push({
      name,
      probe,
      phase,
      kind,
      ok: false,
      decided: true,
      observed,
      bound,
      message: `${probe} (${phase} phase): observed ${breachParts.join(' and ')}, ${boundText}`,
    });
  } else if (!coverage || coverage.decided) {
    const seen = `min ${formatValue(lo!, unit)}, max ${formatValue(hi!, unit)} over ${values.length} datapoints`;
    out.push({
      name,
      probe,
      phase,
      kind,
      ok: true,
      decided: true,
      observed,
      bound,
      message: `${probe} (${phase} phase): observed ${seen}, ${boundText}`,
    });
  }
  return out;
}
