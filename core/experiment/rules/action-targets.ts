// Every action's targets name a target of the same template.
import { asString, at, entriesAt, known, type Rule, type RuleIssue } from './rule.js';

export const actionTargets: Rule = {
  name: 'action-targets',
  check(raw) {
    const targets = new Set(entriesAt(raw, 'fault', 'template', 'targets').map(([name]) => name));
    const issues: RuleIssue[] = [];
    for (const [action] of entriesAt(raw, 'fault', 'template', 'actions')) {
      for (const [key, value] of entriesAt(at(raw, 'fault', 'template', 'actions'), action, 'targets')) {
        const target = asString(value);
        if (target !== undefined && !targets.has(target)) {
          issues.push({
            path: ['fault', 'template', 'actions', action, 'targets', key],
            message: `unknown target "${target}" (${known(targets)})`,
          });
        }
      }
    }
    return issues;
  },
};
