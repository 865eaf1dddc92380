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
  if (!run?.fisExperimentId) return { ended: true, status: 'not-started', reason: 'no fault was started' };
  const state = await deps.faults.get(run.fisExperimentId);
  if (isTerminalStatus(state.status)) return outcomeOf(state, true, run.stopCause);
  if (state.status === 'stopping') return outcomeOf(state, true, run.stopCause ?? event.cause);
  await deps.ledger.updateRun(event.plan.runId, { stopCause: event.cause });
  const stopped = await deps.faults.stop(run.fisExperimentId);
  return outcomeOf({ ...stopped, endTime: stopped.endTime ?? deps.clock.now().getTime() }, true, event.cause);
}
