// Change freezes read AWS services (SSM Change Calendar, CloudFormation): the sandbox has neither, so a local
// experiment naming them would always be SKIPPED. Refused at validation instead, with the fix.
import { at, providerOf, type Rule } from './rule.js';

export const awsOnlyGuardrails: Rule = {
  name: 'aws-only-guardrails',
  check(raw) {
    if (providerOf(raw) !== 'local') return [];
    return (['changeCalendar', 'deployments'] as const)
      .filter((key) => at(raw, 'guardrails', key) !== undefined)
      .map((key) => ({
        path: ['guardrails', key],
        message: `${key} is AWS only (the sandbox has no ${key === 'changeCalendar' ? 'SSM Change Calendar' : 'CloudFormation stacks'}); remove it, or use provider: aws`,
      }));
  },
};
