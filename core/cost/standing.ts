// The standing monthly cost of a deployed experiment, apart from its runs: the CloudWatch alarms
// compiled from `abortWhen` and the EventBridge Scheduler schedule that starts it.
import { durationSeconds } from '../duration.js';
import type { Experiment } from '../experiment/schema.js';
import { referencedIds } from '../expression/parse.js';
import {
  CLOUDWATCH_ALARM_HIGH_RESOLUTION_PER_METRIC_MONTH,
  CLOUDWATCH_ALARM_STANDARD_PER_METRIC_MONTH,
  SCHEDULER_PER_INVOCATION,
} from './prices.js';
import { invocationsPerMonth } from './schedule.js';

export interface StandingUsage {
  /** each compiled alarm: how many metrics it reads (a metric-math alarm pays per metric) and its resolution */
  alarms: Array<{ name: string; metrics: number; highResolution: boolean }>;
  scheduleInvocationsPerMonth: number;
}

export interface StandingCost {
  monthlyUsd: number;
  breakdown: { alarms: number; schedule: number };
  /** runs the schedule starts each month (each costs a run; not included in monthlyUsd) */
  scheduledRunsPerMonth: number;
}

/** Metrics a probe reads: 1 for a metric, the distinct metric probes behind an expression. */
function metricsBehind(experiment: Experiment, probe: string, seen = new Set<string>()): Set<string> {
  const p = Object.hasOwn(experiment.steadyState.probes, probe) ? experiment.steadyState.probes[probe] : undefined;
  if (!p) throw new RangeError(`unknown probe "${probe}"`);
  if (seen.has(probe)) return new Set();
  seen.add(probe);
  if (p.metric) return new Set([probe]);
  const out = new Set<string>();
  for (const id of referencedIds(p.expression!)) for (const m of metricsBehind(experiment, id, seen)) out.add(m);
  return out;
}

/** What a deployed experiment keeps running: local experiments are not deployed and cost nothing standing. */
export function standingUsageFor(experiment: Experiment): StandingUsage {
  if (experiment.provider === 'local') return { alarms: [], scheduleInvocationsPerMonth: 0 };
  // Alarms on periods under 60 s are high-resolution alarms, priced higher.
  const highResolution = durationSeconds(experiment.steadyState.period) < 60;
  const alarms = Object.keys(experiment.guardrails?.abortWhen ?? {}).map((probe) => ({
    name: `abortWhen.${probe}`,
    metrics: metricsBehind(experiment, probe).size,
    highResolution,
  }));
  const schedule = experiment.schedule;
  const scheduleInvocationsPerMonth =
    schedule && schedule.enabled !== false ? invocationsPerMonth(schedule.expression) : 0;
  return { alarms, scheduleInvocationsPerMonth };
}

export function estimateStandingCost(usage: StandingUsage): StandingCost {
  const alarms = usage.alarms.reduce(
    (sum, a) =>
      sum +
      a.metrics *
        (a.highResolution
          ? CLOUDWATCH_ALARM_HIGH_RESOLUTION_PER_METRIC_MONTH
          : CLOUDWATCH_ALARM_STANDARD_PER_METRIC_MONTH),
    0,
  );
  const schedule = usage.scheduleInvocationsPerMonth * SCHEDULER_PER_INVOCATION;
  return {
    monthlyUsd: alarms + schedule,
    breakdown: { alarms, schedule },
    scheduledRunsPerMonth: usage.scheduleInvocationsPerMonth,
  };
}
