// Baseline: the `steadyState.baseline` window ending `ingestionDelay` ago, read in one MetricSource call, so it
// needs no waiting. Nothing is injected unless it held.

import { evaluateBaseline } from '../steady-state/baseline.js';
import type { ProbeCheck } from '../steady-state/checks.js';
import type { StepDeps } from './deps.js';
import type { Plan } from './plan.js';
import { alignWindow, probeQueries } from './probes.js';

export interface BaselineOutput {
  held: boolean;
  reasons: string[];
  checks: ProbeCheck[];
  window: { start: number; end: number };
}

export type BaselineDeps = Pick<StepDeps, 'clock' | 'metrics'>;

export async function baseline(deps: BaselineDeps, { plan }: { plan: Plan }): Promise<BaselineOutput> {
  const experiment = plan.definition;
  const end = deps.clock.now().getTime() - plan.ingestionDelaySeconds * 1000;
  const window = alignWindow({ start: end - plan.baselineSeconds * 1000, end }, plan.periodSeconds);
  const series = await deps.metrics.getSeries(probeQueries(experiment), window, plan.periodSeconds);
  const evaluation = evaluateBaseline(experiment, series, window);
  return { held: evaluation.held, reasons: evaluation.reasons, checks: evaluation.checks, window };
}
