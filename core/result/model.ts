// The run result (DESIGN §5, result.json) and the guardrail check shape shared by every step.
import * as z from 'zod';
import { Bound, Verdict } from '../experiment/schema.js';

/** One guardrail or hypothesis check: what was looked at, what it was compared with, and whether it held. */
// Loose: probe checks carry `probe`, `phase`, `kind` and `decided` too, and result.json keeps them.
export const Check = z.looseObject({
  name: z.string().describe('guardrail or check name, e.g. window, alarms, blastRadius, lock'),
  ok: z.boolean(),
  observed: z.unknown().optional(),
  bound: z.unknown().optional(),
  message: z.string(),
});
export type Check = z.infer<typeof Check>;

export { PHASES, type PhaseName } from '../experiment/patterns.js';

export const Span = z.object({ start: z.string(), end: z.string() });
export type Span = z.infer<typeof Span>;

/** A datapoint: ISO timestamp of the period start and its value. */
export const Point = z.tuple([z.string(), z.number()]);
export type Point = z.infer<typeof Point>;

export const ProbeResult = z.object({
  unit: z.string().optional(),
  tolerance: Bound.optional(),
  during: Bound.optional(),
  series: z.object({
    baseline: z.array(Point),
    fault: z.array(Point),
    recovery: z.array(Point),
  }),
  stats: z.record(z.string(), z.unknown()).describe('per-phase statistics, recovery time, comparison'),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

export const RunEvent = z.object({ at: z.string(), type: z.string(), message: z.string() });
export type RunEvent = z.infer<typeof RunEvent>;

export const Trigger = z.enum(['schedule', 'manual', 'pipeline']);
export type Trigger = z.infer<typeof Trigger>;

export const Result = z.object({
  runId: z.string(),
  experiment: z.string(),
  hypothesis: z.string().optional(),
  description: z.string().optional(),
  runbook: z.string().optional(),
  provider: z.enum(['aws', 'local']).optional(),
  verdict: Verdict,
  reasons: z.array(z.string()),
  startedAt: z.string(),
  endedAt: z.string(),
  trigger: Trigger,
  preflight: z.object({ checks: z.array(Check) }),
  fis: z.object({
    experimentId: z.string().optional(),
    state: z.string().optional(),
    templateId: z.string().optional(),
    targets: z.array(z.string()),
  }),
  phases: z.object({ baseline: Span.optional(), fault: Span.optional(), recovery: Span.optional() }),
  probes: z.record(z.string(), ProbeResult),
  events: z.array(RunEvent),
  cost: z
    .object({
      runUsd: z.number(),
      monthlyStandingUsd: z.number(),
      breakdown: z.record(z.string(), z.number()),
    })
    .optional(),
  links: z.record(z.string(), z.string()).optional(),
});
export type Result = z.infer<typeof Result>;

/** CLI exit code per verdict (DESIGN §3); `allow` turns listed verdicts into 0 for tolerant pipelines. */
export function exitCodeFor(verdict: Verdict, allow: readonly Verdict[] = []): number {
  if (verdict === 'PASSED' || allow.includes(verdict)) return 0;
  switch (verdict) {
    case 'DEGRADED':
    case 'FAILED':
      return 1;
    case 'SKIPPED':
      return 3;
    default:
      return 4;
  }
}
