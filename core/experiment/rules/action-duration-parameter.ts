// An action's `duration` parameter is an ISO 8601 duration, as FIS requires (e.g. PT5M).
import { isIsoDuration } from '../../duration.js';
import { at, entriesAt, type Rule, type RuleIssue } from './rule.js';

export const actionDurationParameter: Rule = {
  name: 'action-duration-parameter',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const [action, spec] of entriesAt(raw, 'fault', 'template', 'actions')) {
      const duration = at(spec, 'parameters', 'duration');
      if (duration === undefined || (typeof duration === 'string' && isIsoDuration(duration))) continue;
      issues.push({
        path: ['fault', 'template', 'actions', action, 'parameters', 'duration'],
        message: `"${String(duration)}" must be an ISO 8601 duration such as PT5M`,
      });
    }
    return issues;
  },
};
