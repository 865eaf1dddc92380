// The hypothesis as checks (DESIGN §2 `expect`): bounds over the fault phase, recovery time after it,
// and the optional Mann-Whitney comparison of the fault phase with the baseline.
import { durationSeconds } from '../duration.js';
import type { Experiment } from '../experiment/schema.js';
import type { Series } from '../ports.js';
import type { PhaseName } from '../result/model.js';
import { boundChecks } from './bounds.js';
import type { ProbeCheck } from './checks.js';
import { compareCheck } from './compare.js';
import type { Evaluation, ProbeEvaluation } from './evaluation.js';
import { defaultMissing } from './missing.js';
import { own } from './own.js';
import type { Phases } from './phases.js';
import { recoveryChecks } from './recovery.js';
import { resolveProbes } from './resolve.js';

/** What the MetricSource returned for each phase window, by probe name. */
export type SeriesByPhase = Readonly<Record<PhaseName, Readonly<Record<string, Series>>>>;

export type HypothesisEvaluation = Evaluation;

export function evaluateHypothesis(
  experiment: Experiment,
  seriesByPhase: SeriesByPhase,
  phases: Phases,
): HypothesisEvaluation {
  const periodSeconds = durationSeconds(experiment.steadyState.period);
  const filled = {
    baseline: resolveProbes(experiment, seriesByPhase.baseline, phases.baseline, periodSeconds),
    fault: resolveProbes(experiment, seriesByPhase.fault, phases.fault, periodSeconds),
    recovery: resolveProbes(experiment, seriesByPhase.recovery, phases.recovery, periodSeconds),
  };
  const { expect } = experiment;
  const limitSeconds = expect.recovery !== undefined ? durationSeconds(expect.recovery) : undefined;
  const checks: ProbeCheck[] = [];
  const probes: Record<string, ProbeEvaluation> = {};

  for (const [name, probe] of Object.entries(experiment.steadyState.probes)) {
    const tolerance = probe.tolerance;
    const listed = own(expect.during, name);
    const during = listed ?? tolerance;
    const phaseSeries = {
      baseline: filled.baseline[name]!,
      fault: filled.fault[name]!,
      recovery: filled.recovery[name]!,
    };
    const evaluation: ProbeEvaluation = { missing: defaultMissing(probe), tolerance, during, phases: phaseSeries };
    probes[name] = evaluation;

    // The fault phase is always held to a bound: expect.during where listed, else the tolerance.
    if (during) {
      const source = listed ? 'expect.during' : 'tolerance';
      checks.push(
        ...boundChecks({
          probe: name,
          phase: 'fault',
          kind: 'during',
          filled: phaseSeries.fault,
          bound: during,
          source,
          unit: probe.unit,
        }),
      );
    }
    if (tolerance) {
      const limit = limitSeconds ?? Number.POSITIVE_INFINITY;
      const rec = recoveryChecks({
        probe: name,
        filled: phaseSeries.recovery,
        tolerance,
        window: phases.recovery,
        limitSeconds: limit,
        unit: probe.unit,
      });
      evaluation.recovery = { ...rec.time, limitSeconds };
      if (limitSeconds !== undefined) checks.push(...rec.checks);
    }
    const worseBound = tolerance ?? during;
    if (expect.compare && worseBound) {
      const source = tolerance ? 'tolerance' : 'expect.during';
      const c = compareCheck({
        probe: name,
        baseline: phaseSeries.baseline,
        fault: phaseSeries.fault,
        bound: worseBound,
        source,
        alpha: expect.compare.alpha,
        unit: probe.unit,
      });
      evaluation.comparison = c.comparison;
      checks.push(c.check);
    }
  }
  return { checks, probes };
}
