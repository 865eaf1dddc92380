// The run lifecycle, in one place: starting a run and its fault, finding "the fault this run started", stopping it,
// and finishing the run (result stored, run marked DONE, lock released). The workflow's steps, the Janitor, the
// sandbox's signal handling and the CLI all go through these functions, so their rules cannot drift apart.
import type { FaultState, RunRecord, StopCause, StoredResult } from '../ports.js';
import { stepExperiment, stepNumber, stepTemplateId } from '../ramp/ramp.js';
import type { Result, Trigger } from '../result/model.js';
import type { StepDeps } from '../steps/deps.js';
import { type FaultOutcome, outcomeOf, type PhaseTiming, timingOfPlan } from '../steps/fault-outcome.js';
import type { Plan } from '../steps/plan.js';

/** Tag put on every fault shaketable starts: FaultEnded and the lifecycle find the run from it, and it from the run. */
export const RUN_TAG = 'shaketable:run';
/** Tag put on each fault of a ramp: its step (1-based), so the fault of one step is never taken for another's. */
export const STEP_TAG = 'shaketable:step';
/** Tag a FIS template carries to be started for an experiment of that name (the CDK sets it; `templateId` needs it). */
export const EXPERIMENT_TAG = 'shaketable:experiment';

/** FIS statuses that are not final; anything else (completed, stopped, failed, cancelled, unknown) is terminal. */
const RUNNING_STATUSES = new Set(['pending', 'initiating', 'running', 'stopping']);

export function isTerminalStatus(status: string): boolean {
  return !RUNNING_STATUSES.has(status);
}

/** Records the run as RUNNING (Load): from here on every failure ends in a result, through PublishError or the Janitor. */
export async function startRun(deps: Pick<StepDeps, 'ledger'>, plan: Omit<Plan, 'targetGroups'>): Promise<void> {
  await deps.ledger.putRun({
    runId: plan.runId,
    experiment: plan.experiment,
    status: 'RUNNING',
    startedAt: plan.startedAt,
    trigger: plan.trigger,
    expiresAt: plan.expiresAt,
  });
}

/**
 * Starts the run's fault. The task token (and the timing its completer needs) is stored BEFORE the fault starts, so
 * the fault's end event can always find the run; that order is also what `faultOfRun` relies on.
 */
export async function startFault(
  deps: Pick<StepDeps, 'ledger' | 'faults'>,
  plan: Plan,
  token: string,
): Promise<FaultState> {
  const step = stepNumber(plan);
  await deps.ledger.updateRun(plan.runId, {
    taskToken: token,
    timing: timingOfPlan(plan),
    ...(step !== undefined ? { rampStep: step } : {}),
  });
  const templateId = stepTemplateId(plan);
  return deps.faults.start({
    runId: plan.runId,
    experiment: stepExperiment(plan),
    ...(templateId ? { templateId } : {}),
    ...(step !== undefined ? { step } : {}),
  });
}

/** Points the run at its fault (with the token and timing again: a retried InjectFault may not have written them). */
export async function recordFault(
  deps: Pick<StepDeps, 'ledger'>,
  plan: Plan,
  token: string,
  experimentId: string,
): Promise<void> {
  const step = stepNumber(plan);
  await deps.ledger.updateRun(plan.runId, {
    taskToken: token,
    timing: timingOfPlan(plan),
    fisExperimentId: experimentId,
    ...(step !== undefined ? { rampStep: step, faultStep: step } : {}),
  });
}

/**
 * The run's pointer to its current fault: a ramp keeps the previous step's experiment id until the next step's
 * fault is recorded, and that id must not be read as the new step's (nor wake the new step's task).
 */
export function currentFaultId(run: RunRecord): string | undefined {
  return run.faultStep === run.rampStep ? run.fisExperimentId : undefined;
}

/** Whether the run's task token already waits for this plan's step (false: the step has started nothing yet). */
export function tokenIsForStep(run: RunRecord | undefined, plan: Pick<Plan, 'ramp'>): boolean {
  return run?.rampStep === stepNumber(plan);
}

/**
 * The id of the fault this run started, if any. The ledger's pointer is written after the fault starts; if that
 * write failed, the run tag still finds the fault. Only a run that stored its task token (`startFault` does that
 * first) can have a fault to look for, so other runs cost no lookup.
 */
export async function faultOfRun(
  deps: Pick<StepDeps, 'faults'>,
  run: RunRecord | undefined,
): Promise<string | undefined> {
  if (!run) return undefined;
  const current = currentFaultId(run);
  if (current) return current;
  return run.taskToken ? (await deps.faults.findByRun(run.runId, run.rampStep))?.experimentId : undefined;
}

/** What stopping a run's fault found and did. */
export type FaultStop =
  | { outcome: 'no-fault' }
  /** the fault had ended, or was already stopping (a stop condition, an operator, an earlier attempt) */
  | { outcome: 'already-ended' | 'already-stopping'; state: FaultState }
  | { outcome: 'stopped'; state: FaultState };

/**
 * Stops the run's fault if it is still running, writing `cause` to the run FIRST (Evaluate and FaultEnded read it,
 * so the stop is read as ours). A fault already ending is not ours to claim: its cause is left as it was.
 */
export async function stopRunFault(
  deps: Pick<StepDeps, 'ledger' | 'faults'>,
  run: RunRecord | undefined,
  cause: StopCause,
): Promise<FaultStop> {
  const experimentId = await faultOfRun(deps, run);
  if (!run || !experimentId) return { outcome: 'no-fault' };
  const state = await deps.faults.get(experimentId);
  if (isTerminalStatus(state.status)) return { outcome: 'already-ended', state };
  if (state.status === 'stopping') return { outcome: 'already-stopping', state };
  await deps.ledger.updateRun(run.runId, { stopCause: cause });
  return { outcome: 'stopped', state: await deps.faults.stop(experimentId) };
}

/** The fault's end as the workflow reads it, after `stopRunFault` (undefined: no fault was started). */
export function outcomeOfStop(
  stop: FaultStop,
  run: RunRecord | undefined,
  cause: StopCause,
  timing: PhaseTiming | undefined,
  now: number,
): FaultOutcome | undefined {
  if (stop.outcome === 'no-fault') return undefined;
  if (stop.outcome !== 'stopped') return outcomeOf(stop.state, true, run?.stopCause, timing, now);
  return outcomeOf({ ...stop.state, endTime: stop.state.endTime ?? now }, true, cause, timing, now);
}

/**
 * Ends the run: result.json and report.html to the result store FIRST (a result is never lost to a later failure),
 * then the run marked DONE with its verdict, then its target lock released.
 */
export async function finishRun(
  deps: Pick<StepDeps, 'ledger' | 'results' | 'renderReport'>,
  result: Result,
  lockKey: string | undefined,
): Promise<StoredResult> {
  const stored = await deps.results.put(result, deps.renderReport(result));
  await deps.ledger.updateRun(result.runId, {
    status: 'DONE',
    verdict: result.verdict,
    endedAt: result.endedAt,
    resultUri: stored.resultUri,
    reportUri: stored.reportUri,
  });
  if (lockKey) await deps.ledger.releaseLock(lockKey, result.runId);
  return stored;
}

const TRIGGERS: ReadonlySet<string> = new Set<Trigger>(['schedule', 'manual', 'pipeline']);

/** The run's trigger as a result records it (the ledger keeps it as a plain string). */
export function triggerOf(run: RunRecord): { trigger?: Trigger } {
  return run.trigger && TRIGGERS.has(run.trigger) ? { trigger: run.trigger as Trigger } : {};
}
