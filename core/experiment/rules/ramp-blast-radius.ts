// A ramp step over guardrails.blastRadius would refuse the whole run at preflight, so the steps whose breach does
// not depend on the pool are refused here: PERCENT(p) above maxPercent, and ALL under a maxPercent below 100, hit
// more than maxPercent of any pool (FIS rounds a share up: core/targets/selection.ts). A COUNT(n) above maxTargets
// is left to preflight: FIS takes min(n, pool), and a pool smaller than maxTargets keeps it within the cap.
import { SELECTION_MODE } from '../schema.js';
import { asList, asString, at, type Rule, type RuleIssue } from './rule.js';

export const rampBlastRadius: Rule = {
  name: 'ramp-blast-radius',
  check(raw) {
    const maxPercent = at(raw, 'guardrails', 'blastRadius', 'maxPercent');
    const steps = asList(at(raw, 'fault', 'ramp', 'steps'));
    if (typeof maxPercent !== 'number' || steps === undefined) return [];
    const issues: RuleIssue[] = [];
    steps.forEach((value, index) => {
      const mode = asString(value);
      const match = mode === undefined ? null : SELECTION_MODE.exec(mode);
      if (!match) return;
      const percent = match[3] !== undefined ? Number(match[3]) : match[1] === 'ALL' ? 100 : undefined;
      if (percent === undefined || percent <= maxPercent || percent > 100) return;
      issues.push({
        path: ['fault', 'ramp', 'steps', index],
        message: `${mode} hits ${percent}% of the pool, above guardrails.blastRadius.maxPercent ${maxPercent}%; lower the step or raise maxPercent`,
      });
    });
    return issues;
  },
};
