// Preflight: every guardrail at once (target pools from the TargetPools map), then the target lock when they all
// pass. The run is already recorded as RUNNING by Load, so the Janitor's sweep can always find it.

import { freezeChecks } from '../guardrails/freezes.js';
import { type HolidayCalendar, HolidayCalendarGapError, tableCalendar } from '../guardrails/holiday-calendar.js';
import {
  alarmName,
  alarmNamesToCheck,
  evaluatePreflight,
  type PreflightInput,
  type PreflightOutcome,
  refusalReasons,
} from '../guardrails/preflight.js';
import { REQUIRED_RUNS_READ } from '../guardrails/requires.js';
import type { LockResult, RunLedger } from '../ports.js';
import type { Check } from '../result/model.js';
import { lockKey } from '../targets/lock-key.js';
import type { TargetGroupPool } from '../targets/pools.js';
import type { StepDeps } from './deps.js';
import type { Plan } from './plan.js';

export interface PreflightOutput {
  ok: boolean;
  checks: Check[];
  reasons: string[];
  lockKey?: string;
  targets: Array<{ target: string; resourceType: string; eligible: number }>;
  /** the template's stop-condition alarm names (the external template's for `templateId`), plus compiled ones */
  stopConditions: string[];
}

export interface PreflightEvent {
  plan: Plan;
  /** the TargetPools map's output: one entry per resource type of the template */
  pools: TargetGroupPool[];
}

/** `holidays` is optional: the AWS catalog bundles holiday tables in the plan, the sandbox computes them. */
/** `ledger` answers `guardrails.requires` from the run history (only its listRuns: `shaketable preflight` reads it lazily). */
export type GuardrailDeps = Pick<
  StepDeps,
  'clock' | 'killSwitch' | 'alarms' | 'holidays' | 'changeCalendar' | 'deployments'
> & { ledger: Pick<RunLedger, 'listRuns'> };
export type PreflightDeps = GuardrailDeps & Pick<StepDeps, 'ledger'>;

export async function preflight(deps: PreflightDeps, event: PreflightEvent): Promise<PreflightOutput> {
  const { plan, pools } = event;
  const experiment = plan.definition;
  const externalTemplate = plan.externalTemplate;
  const resolved = externalTemplate
    ? { ...experiment, fault: { ...experiment.fault, template: externalTemplate.template } }
    : experiment;
  const { input, outcome: first } = await checkGuardrails(deps, event);
  const stopConditions = [
    ...new Set([...(resolved.fault.template?.stopConditions ?? []).map(alarmName), ...plan.compiledAlarms]),
  ];
  const targets = pools.flatMap((p) =>
    p.targets.map((t) => ({ target: t.target, resourceType: p.resourceType, eligible: t.eligible })),
  );
  if (!first.ok)
    return { ok: false, checks: first.checks, reasons: refusalReasons(first.checks), targets, stopConditions };

  // Only a run that may start takes the lock, so a refused run never blocks another.
  const key = lockKey(experiment, externalTemplate);
  const lock: LockResult = await deps.ledger.acquireLock(key, plan.runId, plan.expiresAt);
  if (lock.acquired) await deps.ledger.updateRun(plan.runId, { lockKey: key });
  const outcome = evaluatePreflight({ ...input, lock });
  return {
    ok: outcome.ok,
    checks: outcome.checks,
    reasons: refusalReasons(outcome.checks),
    ...(lock.acquired ? { lockKey: key } : {}),
    targets,
    stopConditions,
  };
}

/**
 * Every guardrail but the lock, with no side effect: the Preflight step's first pass, and all that
 * `shaketable preflight` runs (it takes no lock and records no run).
 */
export async function checkGuardrails(
  deps: GuardrailDeps,
  { plan, pools }: PreflightEvent,
): Promise<{ input: PreflightInput; outcome: PreflightOutcome }> {
  const experiment = plan.definition;
  const externalTemplate = plan.externalTemplate;
  const required = [...new Set((experiment.guardrails?.requires ?? []).map((r) => r.experiment))];
  const [killSwitch, alarms, requiredRuns, freezes] = await Promise.all([
    deps.killSwitch.get(),
    deps.alarms.getStates(alarmNamesToCheck(experiment, plan.compiledAlarms, externalTemplate)),
    Promise.all(
      required.map(
        async (name) => [name, await deps.ledger.listRuns({ experiment: name, limit: REQUIRED_RUNS_READ })] as const,
      ),
    ),
    freezeChecks(deps, experiment.guardrails),
  ]);
  // Read only when the experiment names a calendar: the AWS handler wires no date-holidays (its plan has tables).
  const holidays: HolidayCalendar = (code, date) =>
    (plan.holidays ? tableCalendar(plan.holidays) : (deps.holidays ?? noCalendar))(code, date);
  const input: PreflightInput = {
    holidays,
    experiment,
    now: deps.clock.now(),
    alarms,
    pools,
    killSwitch,
    requiredRuns: new Map(requiredRuns),
    freezes,
    compiledAlarms: plan.compiledAlarms,
    // A ramp: every step still to run, against the pool as it is now (all of them before the first injection).
    ...(plan.ramp
      ? {
          ramp: {
            target: plan.ramp.target,
            steps: plan.ramp.steps.map((s) => s.selectionMode),
            from: plan.ramp.index,
          },
        }
      : {}),
    ...(externalTemplate ? { externalTemplate } : {}),
  };
  return { input, outcome: evaluatePreflight(input) };
}

const noCalendar: HolidayCalendar = (code) => {
  throw new HolidayCalendarGapError(`holidays: no holiday calendar was deployed for ${code}; redeploy the catalog`);
};
