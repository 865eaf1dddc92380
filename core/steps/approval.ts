// Approval: stores the task token so `shaketable approve|reject <runId>` can answer, and asks a human.
import type { StepDeps } from './deps.js';
import type { Plan } from './plan.js';

export interface ApprovalEvent {
  token: string;
  plan: Plan;
  timeoutSeconds: number;
}

export type ApprovalDeps = Pick<StepDeps, 'clock' | 'ledger' | 'approvals'>;

export async function approval(deps: ApprovalDeps, event: ApprovalEvent): Promise<{ requested: true }> {
  const { plan } = event;
  const experiment = plan.definition;
  await deps.ledger.updateRun(plan.runId, { approvalToken: event.token });
  const expiresAt = new Date(deps.clock.now().getTime() + event.timeoutSeconds * 1000).toISOString();
  await deps.approvals.requestApproval({
    runId: plan.runId,
    experiment: plan.experiment,
    expiresAt,
    ...(experiment.runbook ? { runbook: experiment.runbook } : {}),
  });
  return { requested: true };
}
