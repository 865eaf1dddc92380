// The execution input (DESIGN §4) and the run plan Load derives from it and the catalog entry.
import * as z from 'zod/mini';
import { durationSeconds } from '../duration.js';
import { EXPERIMENT_NAME, type Experiment, Verdict } from '../experiment/schema.js';
import type { HolidayTable } from '../guardrails/holiday-calendar.js';
import type { CatalogEntry, ExternalTemplate } from '../ports.js';
import { type RampPlan, rampPlanOf } from '../ramp/ramp.js';
import { Trigger } from '../result/model.js';
import { type TargetGroup, targetGroups } from '../targets/pools.js';
import type { Settings } from './settings.js';

/** The same input from every trigger; only `experiment` is required and nothing else is accepted. */
export const ExecutionInput = z.strictObject({
  experiment: z
    .string()
    .check(z.regex(EXPERIMENT_NAME, { error: 'must be a catalog experiment name ([a-z0-9-]{3,64})' })),
  trigger: z._default(Trigger, 'manual'),
  gate: z._default(z.boolean(), false),
  allow: z._default(z.array(Verdict), []),
  dryRun: z._default(z.boolean(), false),
  /** a GameDay (`shaketable gameday`): Evaluate waits for a `mitigated` ack, at most until maxDuration (DESIGN §9) */
  gameday: z._default(z.boolean(), false),
});
export type ExecutionInput = z.infer<typeof ExecutionInput>;

export interface Plan {
  runId: string;
  /** the validated catalog definition: steps after Load read it from here, never from the caller */
  definition: Experiment;
  experiment: string;
  provider: 'aws' | 'local';
  trigger: Trigger;
  gate: boolean;
  allow: Verdict[];
  dryRun: boolean;
  /** a GameDay run: HoldForMitigation keeps Evaluate waiting for a `mitigated` ack */
  gameday: boolean;
  startedAt: string;
  approvalRequired: boolean;
  timeouts: { approvalSeconds: number; injectSeconds: number };
  recoveryWaitSeconds: number;
  periodSeconds: number;
  observeSeconds: number;
  baselineSeconds: number;
  recoverySeconds: number;
  ingestionDelaySeconds: number;
  maxDurationSeconds: number;
  templateId?: string;
  /** a ramp (fault.ramp): its steps, each with its own template on AWS, and the step being run */
  ramp?: RampPlan;
  /** the template as FIS holds it (read by Load when the plan has a templateId): tags, targets, stop conditions */
  externalTemplate?: ExternalTemplate;
  /** the template's targets by resource type: the items of the TargetPools map */
  targetGroups: TargetGroup[];
  compiledAlarms: string[];
  /** the holiday calendar the catalog was built with (absent: the step's own calendar decides) */
  holidays?: HolidayTable[];
  /** epoch seconds beyond the longest possible run: lock expiry and the Janitor's sweep horizon */
  expiresAt: number;
}

export function observeSecondsOf(experiment: Experiment): number {
  const period = durationSeconds(experiment.steadyState.period);
  return experiment.fault.observe ? durationSeconds(experiment.fault.observe) : 5 * period;
}

/** The plan before Load has read the template back from FIS. */
export type PlanBase = Omit<Plan, 'externalTemplate' | 'targetGroups'>;

/** The plan with the template FIS holds (when it was read) and the template's targets grouped for TargetPools. */
export function withTemplate(plan: PlanBase, externalTemplate?: ExternalTemplate): Plan {
  const template = externalTemplate?.template ?? plan.definition.fault.template;
  if (!template) {
    throw new Error(`experiment "${plan.experiment}" has no template to start (fault.template or a templateId)`);
  }
  return { ...plan, ...(externalTemplate ? { externalTemplate } : {}), targetGroups: targetGroups(template) };
}

export function buildPlan(
  entry: CatalogEntry,
  input: ExecutionInput,
  runId: string,
  startedAt: string,
  settings: Settings,
): PlanBase {
  const { experiment } = entry;
  const periodSeconds = durationSeconds(experiment.steadyState.period);
  const baselineSeconds = durationSeconds(experiment.steadyState.baseline);
  const recoverySeconds = experiment.expect.recovery ? durationSeconds(experiment.expect.recovery) : 0;
  const ingestionDelaySeconds = experiment.steadyState.ingestionDelay
    ? durationSeconds(experiment.steadyState.ingestionDelay)
    : settings.defaultIngestionDelaySeconds;
  const maxDurationSeconds = durationSeconds(experiment.fault.maxDuration);
  const approval = experiment.guardrails?.approval;
  const approvalSeconds = approval?.timeout ? durationSeconds(approval.timeout) : settings.defaultApprovalSeconds;
  const injectSeconds = Math.ceil(maxDurationSeconds + settings.injectMarginSeconds);
  // The fault phase lasts at least `observe`; recovery is measured after it, and CloudWatch needs ingestionDelay more.
  const recoveryWaitSeconds = Math.ceil(recoverySeconds + ingestionDelaySeconds);
  const ramp = rampPlanOf(experiment, entry.stepTemplateIds);
  // Every step of a ramp is a full cycle: baseline, fault, recovery, and its retries.
  const longest =
    (approval?.required ? approvalSeconds : 0) +
    (ramp?.steps.length ?? 1) * (baselineSeconds + injectSeconds + recoveryWaitSeconds + ingestionDelaySeconds) +
    // retries of DataNotReady and Lambda errors, and the publish path
    15 * 60;
  return {
    runId,
    definition: experiment,
    experiment: experiment.name,
    provider: settings.provider,
    trigger: input.trigger,
    gate: input.gate,
    allow: input.allow,
    dryRun: input.dryRun,
    gameday: input.gameday,
    startedAt,
    approvalRequired: approval?.required === true,
    timeouts: { approvalSeconds: Math.ceil(approvalSeconds), injectSeconds },
    recoveryWaitSeconds,
    periodSeconds,
    observeSeconds: observeSecondsOf(experiment),
    baselineSeconds,
    recoverySeconds,
    ingestionDelaySeconds,
    maxDurationSeconds,
    ...(entry.templateId ? { templateId: entry.templateId } : {}),
    ...(ramp ? { ramp } : {}),
    compiledAlarms: entry.compiledAlarms ?? [],
    ...(entry.holidays?.length ? { holidays: entry.holidays } : {}),
    expiresAt: Math.ceil(Date.parse(startedAt) / 1000 + longest),
  };
}
