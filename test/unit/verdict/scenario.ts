// Runs a synthetic experiment through baseline, hypothesis and verdict, as the workflow steps do.

import type { ExperimentInput } from '../../../core/experiment/schema.js';
import type { Series } from '../../../core/ports.js';
import type { Check } from '../../../core/result/model.js';
import { evaluateBaseline } from '../../../core/steady-state/baseline.js';
import { evaluateHypothesis } from '../../../core/steady-state/hypothesis.js';
import type { Phases } from '../../../core/steady-state/phases.js';
import { decideVerdict } from '../../../core/verdict/decide.js';
import type { FaultEnd, VerdictDecision } from '../../../core/verdict/model.js';
import { checkout, checkoutPhases, healthySeries } from '../steady-state/fixture.js';

export type PhaseSeries = ReturnType<typeof healthySeries> & Record<string, Record<string, Series>>;

export interface Scenario {
  edit?: (input: ExperimentInput) => void;
  series?: (s: PhaseSeries, p: Phases) => void;
  recoveryMinutes?: number;
  preflight?: Check[];
  dryRun?: boolean;
  fault?: Partial<FaultEnd>;
  error?: string;
}

export function runScenario(sc: Scenario): VerdictDecision & { checks: number } {
  const experiment = checkout(sc.edit);
  const p = checkoutPhases(sc.recoveryMinutes);
  const s = healthySeries(p) as PhaseSeries;
  sc.series?.(s, p);
  const preflight = sc.preflight ?? [{ name: 'window', ok: true, message: 'window: inside' }];
  if (preflight.some((c) => !c.ok)) return { ...decideVerdict({ preflight }), checks: 0 };
  const baseline = evaluateBaseline(experiment, s.baseline, p.baseline);
  if (!baseline.held || sc.dryRun) return { ...decideVerdict({ preflight, baseline, dryRun: sc.dryRun }), checks: 0 };
  const fault: FaultEnd = { status: 'completed', stopConditionAlarmsFired: false, targetsResolved: true, ...sc.fault };
  const hypothesis = evaluateHypothesis(experiment, s, p);
  return {
    ...decideVerdict({ preflight, baseline, fault, hypothesis, error: sc.error }),
    checks: hypothesis.checks.length,
  };
}
