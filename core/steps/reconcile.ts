// Reconcile: InjectFault timed out waiting for the FIS event (events are best effort), so ask FIS.
import { OrchestratorError } from '../errors.js';
import { isTerminalStatus } from '../run/lifecycle.js';
import type { StepDeps } from './deps.js';
import { type FaultOutcome, outcomeOf } from './fault-outcome.js';
import type { Plan } from './plan.js';

export type ReconcileDeps = Pick<StepDeps, 'clock' | 'ledger' | 'faults'>;

export async function reconcile(deps: ReconcileDeps, { plan }: { plan: Plan }): Promise<FaultOutcome> {
  const run = await deps.ledger.getRun(plan.runId);
  if (!run?.fisExperimentId) {
    throw new OrchestratorError(`run ${plan.runId}: InjectFault timed out and no FIS experiment was recorded`);
  }
  const state = await deps.faults.get(run.fisExperimentId);
  return outcomeOf(state, isTerminalStatus(state.status), run.stopCause, plan, deps.clock.now().getTime());
}
