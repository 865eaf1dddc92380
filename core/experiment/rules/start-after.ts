// startAfter names other actions of the template and never loops back (FIS would refuse the template).
import { findCycles } from './expression-cycles.js';
import { asList, asString, at, entriesAt, known, type Rule, type RuleIssue } from './rule.js';

export const startAfter: Rule = {
  name: 'start-after',
  check(raw) {
    const actions = entriesAt(raw, 'fault', 'template', 'actions');
    const names = new Set(actions.map(([name]) => name));
    const issues: RuleIssue[] = [];
    const edges = new Map<string, string[]>();
    for (const [action, spec] of actions) {
      const after = (asList(at(spec, 'startAfter')) ?? []).map(asString);
      edges.set(
        action,
        after.filter((a): a is string => a !== undefined),
      );
      after.forEach((name, i) => {
        if (name === undefined || names.has(name)) return;
        issues.push({
          path: ['fault', 'template', 'actions', action, 'startAfter', i],
          message: `unknown action "${name}" (${known(names)})`,
        });
      });
    }
    for (const cycle of findCycles(edges)) {
      issues.push({
        path: ['fault', 'template', 'actions', cycle[0]!, 'startAfter'],
        message: `startAfter forms a cycle: ${cycle.join(' → ')}`,
      });
    }
    return issues;
  },
};
