// StopFault / StopOverdueFault: writes the cause first (Evaluate and FaultEnded read it), then stops the fault if it
// is running. A no-op when no fault was started or it already ended, so every error path can pass through it.

import type { StopCause } from '../ports.js';
import { outcomeOfStop, stopRunFault } from '../run/lifecycle.js';
import type { StepDeps } from './deps.js';
import type { FaultOutcome } from './fault-outcome.js';
import type { Plan } from './plan.js';

export interface StopFaultEvent {
  plan: Plan;
  cause: StopCause;
  error?: unknown;
}

export type StopFaultDeps = Pick<StepDeps, 'clock' | 'ledger' | 'faults'>;

export async function stopFault(deps: StopFaultDeps, event: StopFaultEvent): Promise<FaultOutcome> {
  const run = await deps.ledger.getRun(event.plan.runId);
  const stop = await stopRunFault(deps, run, event.cause);
  const outcome = outcomeOfStop(stop, run, event.cause, event.plan, deps.clock.now().getTime());
  return outcome ?? { ended: true, status: 'not-started', reason: 'no fault was started', waitSeconds: 0 };
}
