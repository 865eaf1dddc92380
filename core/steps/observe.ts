// Observe: after Wait(recovery + ingestionDelay) every probe is read over baseline, fault and recovery in ONE
// MetricSource request (CloudWatch: one GetMetricData call per 500 queries), instead of polling while the fault runs.
import { DataNotReadyError, OrchestratorError } from '../errors.js';
import type { Series, TimeWindow } from '../ports.js';
import { phases } from '../steady-state/phases.js';
import type { BaselineOutput } from './baseline.js';
import type { StepDeps } from './deps.js';
import type { FaultOutcome } from './fault-outcome.js';
import { holdSecondsOf } from './hold-for-mitigation.js';
import type { Plan } from './plan.js';
import { alignWindow, probeQueries } from './probes.js';

export interface ObserveOutput {
  /** null when the fault never started (FIS cancelled, or failed before injecting): nothing to observe */
  phases: { baseline: TimeWindow; fault: TimeWindow; recovery: TimeWindow } | null;
  /** each probe over [baseline.start, recovery.end); Evaluate splits it by phase */
  series: Record<string, Series>;
  /** a GameDay: how long Evaluate may still be held for a `mitigated` ack (HoldForMitigation's timeout) */
  holdSeconds?: number;
}

export type ObserveDeps = Pick<StepDeps, 'clock' | 'metrics'>;

export async function observe(
  deps: ObserveDeps,
  event: { plan: Plan; fault: FaultOutcome; baseline: BaselineOutput },
): Promise<ObserveOutput> {
  const { plan, fault } = event;
  if (!fault.startTime) {
    if (fault.status !== 'completed') return { phases: null, series: {} };
    throw new OrchestratorError(`run ${plan.runId}: the fault (${fault.status}) has no start time to measure from`);
  }
  const p = phases({
    faultStart: Date.parse(fault.startTime),
    ...(fault.endTime ? { fisEnd: Date.parse(fault.endTime) } : {}),
    observeSeconds: plan.observeSeconds,
    recoverySeconds: plan.recoverySeconds,
    baselineSeconds: plan.baselineSeconds,
    ingestionDelay: plan.ingestionDelaySeconds,
    baselineEnd: event.baseline.window.end,
    periodSeconds: plan.periodSeconds,
  });
  const now = deps.clock.now().getTime();
  if (now < p.dataCompleteAt) {
    throw new DataNotReadyError(
      `recovery window ends ${new Date(p.recovery.end).toISOString()}; its data is complete at ${new Date(p.dataCompleteAt).toISOString()}, now is ${new Date(now).toISOString()}`,
    );
  }
  const window = alignWindow({ start: p.baseline.start, end: p.recovery.end }, plan.periodSeconds);
  const series = await deps.metrics.getSeries(probeQueries(plan.definition), window, plan.periodSeconds);
  const holdSeconds = holdSecondsOf(plan, fault, deps.clock.now().getTime());
  return {
    phases: { baseline: p.baseline, fault: p.fault, recovery: p.recovery },
    series,
    ...(holdSeconds !== undefined ? { holdSeconds } : {}),
  };
}
