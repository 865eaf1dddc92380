// Approval: stores the task token so `shaketable approve|reject <runId>` can answer, and asks a human.
import type { StepDeps } from './deps.js';

export interface ApprovalEvent {
  token: string;
  runId: string;
  experiment: string;
  timeoutSeconds: number;
}

export async function approval(deps: StepDeps, event: ApprovalEvent): Promise<{ requested: true }> {
  await deps.ledger.updateRun(event.runId, { approvalToken: event.token });
  const { experiment } = await deps.catalog.get(event.experiment);
  const expiresAt = new Date(deps.clock.now().getTime() + event.timeoutSeconds * 1000).toISOString();
  await deps.approvals.requestApproval({
    runId: event.runId,
    experiment: event.experiment,
    expiresAt,
    ...(experiment.runbook ? { runbook: experiment.runbook } : {}),
  });
  return { requested: true };
}
