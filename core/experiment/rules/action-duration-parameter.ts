// Every duration parameter of an action is an ISO 8601 duration, as FIS requires (e.g. PT5M): for FIS actions the
// parameters the action table types as durations (duration, startInstancesAfterDuration, maxDuration…); for the
// sandbox's local:* faults, `duration`.
import { isIsoDuration } from '../../duration.js';
import { durationParameters } from './max-duration.js';
import { at, entriesAt, type Rule, type RuleIssue } from './rule.js';

export const actionDurationParameter: Rule = {
  name: 'action-duration-parameter',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const [action, spec] of entriesAt(raw, 'fault', 'template', 'actions')) {
      for (const name of durationParameters(raw, spec)) {
        const value = at(spec, 'parameters', name);
        if (value === undefined || (typeof value === 'string' && isIsoDuration(value))) continue;
        // A list or map is the schema's issue (parameters are scalars); quoting it here would print [object Object].
        if (typeof value === 'object' && value !== null) continue;
        issues.push({
          path: ['fault', 'template', 'actions', action, 'parameters', name],
          message: `"${String(value)}" must be an ISO 8601 duration such as PT5M`,
        });
      }
    }
    return issues;
  },
};
