// Is the system in steady state before injection? Every datapoint of every bounded probe must be
// within its tolerance over the baseline window; data too sparse to tell means not steady.
import { durationSeconds } from '../duration.js';
import type { Experiment } from '../experiment/schema.js';
import type { Series, TimeWindow } from '../ports.js';
import { boundChecks } from './bounds.js';
import type { Evaluation, ProbeEvaluation } from './evaluation.js';
import { defaultMissing } from './missing.js';
import { resolveProbes } from './resolve.js';

export interface BaselineEvaluation extends Evaluation {
  /** every check decided and within tolerance: injection may go ahead */
  held: boolean;
  /** one line per check that failed or could not be decided */
  reasons: string[];
}

export function evaluateBaseline(
  experiment: Experiment,
  seriesByProbe: Readonly<Record<string, Series>>,
  window: TimeWindow,
): BaselineEvaluation {
  const periodSeconds = durationSeconds(experiment.steadyState.period);
  const filled = resolveProbes(experiment, seriesByProbe, window, periodSeconds);
  const checks: BaselineEvaluation['checks'] = [];
  const probes: Record<string, ProbeEvaluation> = {};
  for (const [name, probe] of Object.entries(experiment.steadyState.probes)) {
    const series = filled[name]!;
    probes[name] = { missing: defaultMissing(probe), tolerance: probe.tolerance, phases: { baseline: series } };
    if (!probe.tolerance) continue;
    checks.push(
      ...boundChecks({
        probe: name,
        phase: 'baseline',
        kind: 'baseline',
        filled: series,
        bound: probe.tolerance,
        source: 'tolerance',
        unit: probe.unit,
      }),
    );
  }
  const failing = checks.filter((c) => !(c.decided && c.ok));
  if (checks.length === 0) {
    return {
      held: false,
      checks,
      probes,
      reasons: ['baseline: observed no probe with a tolerance, bound at least one to define steady state'],
    };
  }
  return { held: failing.length === 0, checks, probes, reasons: failing.map((c) => c.message) };
}
