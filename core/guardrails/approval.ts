// Guardrail: an experiment that requires approval starts only once approved (`shaketable approve <runId>`).
import type { Check } from '../result/model.js';

export type ApprovalDecision = 'approved' | 'rejected' | 'timed-out';

export function approvalCheck(decision: ApprovalDecision, reason?: string): Check {
  const why = reason ? ` (${reason})` : '';
  if (decision === 'approved') {
    return { name: 'approval', ok: true, observed: decision, bound: 'approved', message: `approval: approved${why}` };
  }
  const what = decision === 'rejected' ? 'rejected' : 'not given before guardrails.approval.timeout';
  return {
    name: 'approval',
    ok: false,
    observed: decision,
    bound: 'approved',
    message: `approval: ${what}${why}, expected approved`,
  };
}
