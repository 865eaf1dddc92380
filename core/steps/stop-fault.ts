// StopFault: writes the cause first (Evaluate and FaultEnded read it), then stops the fault if it is running.
// A no-op when no fault was started or it already ended, so every error path can pass through it.
import type { StopCause } from '../ports.js';
import { isTerminalStatus, type StepDeps } from './deps.js';
import { type FaultOutcome, outcomeOf } from './fault-outcome.js';
import type { Plan } from './plan.js';

export interface StopFaultEvent {
  plan: Plan;
  cause: StopCause;
  error?: unknown;
}

export async function stopFault(deps: StepDeps, event: StopFaultEvent): Promise<FaultOutcome> {
  const run = await deps.ledger.getRun(event.plan.runId);
  // The pointer is written after StartExperiment returns; if that write failed, the run tag still finds the fault.
  // Only a run that reached InjectFault (it stores the task token first) can have a fault to look for.
  const experimentId =
    run?.fisExperimentId ??
    (run?.taskToken ? (await deps.faults.findByRun(event.plan.runId))?.experimentId : undefined);
  if (!experimentId) return { ended: true, status: 'not-started', reason: 'no fault was started', waitSeconds: 0 };
  const state = await deps.faults.get(experimentId);
  const now = deps.clock.now().getTime();
  if (isTerminalStatus(state.status)) return outcomeOf(state, true, run?.stopCause, event.plan, now);
  // Already stopping (a stop condition, an operator, or our own earlier attempt): its cause is not ours to claim.
  if (state.status === 'stopping') return outcomeOf(state, true, run?.stopCause, event.plan, now);
  await deps.ledger.updateRun(event.plan.runId, { stopCause: event.cause });
  const stopped = await deps.faults.stop(experimentId);
  return outcomeOf({ ...stopped, endTime: stopped.endTime ?? now }, true, event.cause, event.plan, now);
}
