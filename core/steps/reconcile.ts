// Reconcile: InjectFault timed out waiting for the FIS event (events are best effort), so ask FIS.
import { OrchestratorError } from '../errors.js';
import { currentFaultId, isTerminalStatus } from '../run/lifecycle.js';
import type { StepDeps } from './deps.js';
import { type FaultOutcome, outcomeOf } from './fault-outcome.js';
import type { Plan } from './plan.js';

export type ReconcileDeps = Pick<StepDeps, 'clock' | 'ledger' | 'faults'>;

export async function reconcile(deps: ReconcileDeps, { plan }: { plan: Plan }): Promise<FaultOutcome> {
  const run = await deps.ledger.getRun(plan.runId);
  // A ramp's pointer may still be the previous step's: only this step's fault counts.
  const experimentId = run ? currentFaultId(run) : undefined;
  if (!experimentId) {
    throw new OrchestratorError(`run ${plan.runId}: InjectFault timed out and no FIS experiment was recorded`);
  }
  const state = await deps.faults.get(experimentId);
  return outcomeOf(state, isTerminalStatus(state.status), run?.stopCause, plan, deps.clock.now().getTime());
}
