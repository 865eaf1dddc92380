// INCONCLUSIVE: missing data is never a pass. A check that could not be decided, or a fault that
// completed without any hypothesis check to decide it, leaves the run inconclusive.
import { mapFaultEnd } from '../fault-end.js';
import type { VerdictRule } from '../model.js';

export const undecided: VerdictRule = (input) => {
  const checks = input.hypothesis?.checks ?? [];
  const findings = checks
    .filter((c) => !c.decided)
    .map((c) => ({ verdict: 'INCONCLUSIVE' as const, reason: c.message }));
  const evaluate = input.fault !== undefined && mapFaultEnd(input.fault) === 'evaluate';
  if (evaluate && !checks.some((c) => c.decided)) {
    findings.push({
      verdict: 'INCONCLUSIVE',
      reason:
        'hypothesis (fault phase): observed no decided check, bound at least one decided check (a probe with a tolerance or an expect.during bound)',
    });
  }
  return findings;
};
