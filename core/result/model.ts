// The run result (DESIGN §5, result.json) and the guardrail check shape shared by every step.
import * as z from 'zod/mini';
import { Bound, Verdict } from '../experiment/schema.js';

/** One guardrail or hypothesis check: what was looked at, what it was compared with, and whether it held. */
// Loose: probe checks carry `probe`, `phase`, `kind` and `decided` too, and result.json keeps them.
export const Check = z.looseObject({
  name: z.string().check(z.describe('guardrail or check name, e.g. window, alarms, blastRadius, lock')),
  ok: z.boolean(),
  observed: z.optional(z.unknown()),
  bound: z.optional(z.unknown()),
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
  unit: z.optional(z.string()),
  tolerance: z.optional(Bound),
  during: z.optional(Bound),
  series: z.object({
    baseline: z.array(Point),
    fault: z.array(Point),
    recovery: z.array(Point),
  }),
  stats: z.record(z.string(), z.unknown()).check(z.describe('per-phase statistics, recovery time, comparison')),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

/** The sandbox's own health over one phase: its worst period (DESIGN §8; the local sandbox only). */
export const HostPhase = z.object({
  periods: z.number(),
  eventLoopDelayMs: z.optional(z.number()),
  lateSends: z.optional(z.number()),
  cpuPressure: z.optional(z.number()),
  loadPerCore: z.optional(z.number()),
});
export type HostPhase = z.infer<typeof HostPhase>;

export const RunEvent = z.object({ at: z.string(), type: z.string(), message: z.string() });
export type RunEvent = z.infer<typeof RunEvent>;

/** How the people and alarms around the system responded (DESIGN §9), for every run that injected. */
export const Response = z
  .object({
    detectedBy: z.nullable(z.string().check(z.describe('the alarm that first went to ALARM after the fault started'))),
    ttdSeconds: z.nullable(z.number().check(z.describe('time to detect: seconds from the fault start to detectedBy'))),
    ttmSeconds: z.nullable(z.number().check(z.describe('time to mitigate: from a `mitigated` acknowledgement'))),
    ttrSeconds: z.nullable(z.number().check(z.describe('time to recover: the longest probe recovery, seconds'))),
  })
  .check(z.describe('time to detect, mitigate and recover; null where unknown'));
export type Response = z.infer<typeof Response>;

/** A responder's observation during a run (`shaketable ack`, DESIGN §9 GameDays). */
export const Ack = z.object({
  kind: z.enum(['detected', 'mitigated']),
  at: z.string().check(z.describe('when the responder made it (ISO 8601)')),
  by: z.string().check(z.describe("who made it: the caller's identity on AWS, the OS user locally")),
  note: z.optional(z.string()),
});
export type Ack = z.infer<typeof Ack>;

/** One step of a ramp (DESIGN §9 Ramp): the steps reached, in order; the run's top-level fields are the last one's. */
export const RampStep = z.object({
  index: z.number().check(z.describe('1-based position in fault.ramp.steps')),
  selectionMode: z.string().check(z.describe("this step's selection mode for the ramp target, e.g. PERCENT(25)")),
  verdict: Verdict,
  reasons: z.array(z.string()),
  fis: z.object({
    experimentId: z.optional(z.string()),
    state: z.optional(z.string()),
    templateId: z.optional(z.string()),
    targets: z.array(z.string()),
    targetsTotal: z.optional(z.number()),
  }),
  phases: z.object({ baseline: z.optional(Span), fault: z.optional(Span), recovery: z.optional(Span) }),
  probes: z.record(z.string(), ProbeResult),
  hypothesisChecks: z.optional(z.array(Check)),
});
export type RampStep = z.infer<typeof RampStep>;

export const Trigger = z.enum(['schedule', 'manual', 'pipeline']);
export type Trigger = z.infer<typeof Trigger>;

export const Result = z.object({
  runId: z.string(),
  experiment: z.string(),
  hypothesis: z.optional(z.string()),
  description: z.optional(z.string()),
  runbook: z.optional(z.string()),
  provider: z.optional(z.enum(['aws', 'local'])),
  verdict: Verdict,
  reasons: z.array(z.string()),
  startedAt: z.string(),
  endedAt: z.string(),
  trigger: Trigger,
  preflight: z
    .object({ checks: z.array(Check) })
    .check(z.describe('the guardrail checks made before the fault (window, alarms, blast radius, lock…) only')),
  hypothesisChecks: z.optional(
    z
      .array(Check)
      .check(
        z.describe(
          "the steady-state hypothesis's probe checks (`<probe>.<phase>.<kind>`): the baseline before the fault, then each probe's fault- and recovery-phase checks",
        ),
      ),
  ),
  fis: z.object({
    experimentId: z.optional(z.string()),
    state: z.optional(z.string()),
    templateId: z.optional(z.string()),
    targets: z
      .array(z.string())
      .check(
        z.describe(
          'the resources the fault hit, as the fault service resolved them (FIS ListExperimentResolvedTargets), at most 100',
        ),
      ),
    targetsTotal: z.optional(
      z.number().check(z.describe('how many resources the fault hit, when more than `targets` lists')),
    ),
  }),
  phases: z.object({ baseline: z.optional(Span), fault: z.optional(Span), recovery: z.optional(Span) }),
  probes: z.record(z.string(), ProbeResult),
  host: z.optional(
    z
      .object({
        starved: z.boolean(),
        phases: z.object({
          preflight: z.optional(HostPhase),
          baseline: z.optional(HostPhase),
          fault: z.optional(HostPhase),
          recovery: z.optional(HostPhase),
        }),
      })
      .check(z.describe('the local sandbox only: how starved the machine measuring each phase was')),
  ),
  response: z.optional(Response),
  acks: z.optional(z.array(Ack).check(z.describe("responders' acknowledgements, in time order"))),
  ramp: z.optional(
    z.object({ target: z.string(), steps: z.array(z.string()) }).check(z.describe("the experiment's fault.ramp")),
  ),
  steps: z.optional(z.array(RampStep).check(z.describe('a ramp: the steps reached, in order'))),
  events: z.array(RunEvent),
  cost: z.optional(
    z.object({
      runUsd: z.number(),
      monthlyStandingUsd: z.number(),
      breakdown: z.record(z.string(), z.number()),
    }),
  ),
  links: z.optional(z.record(z.string(), z.string())),
});
export type Result = z.infer<typeof Result>;

/** Every check of a run, preflight first, then the hypothesis's probe checks. */
export function allChecks(result: Pick<Result, 'preflight' | 'hypothesisChecks'>): Check[] {
  return [...result.preflight.checks, ...(result.hypothesisChecks ?? [])];
}

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
