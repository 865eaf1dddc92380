import { describe, expect, it } from 'vitest';
import { approvalCheck } from '../../../core/guardrails/approval.js';

describe('approvalCheck', () => {
  it('allows a start once approved', () => {
    expect(approvalCheck('approved')).toMatchObject({ name: 'approval', ok: true, observed: 'approved' });
  });

  it('refuses a rejected run, with the reason given', () => {
    const check = approvalCheck('rejected', 'release in progress');
    expect(check.ok).toBe(false);
    expect(check.message).toBe('approval: rejected (release in progress), expected approved');
  });

  it('refuses a run whose approval timed out', () => {
    const check = approvalCheck('timed-out');
    expect(check.ok).toBe(false);
    expect(check.message).toBe('approval: not given before guardrails.approval.timeout, expected approved');
  });
});
