// An action's `parameters` are the ones its FIS action takes: none unknown (with the closest name as the fix),
// none on an action that takes none, and every required one present.
import { closest } from '../suggest.js';
import { awsActions, oneOf } from './fis-table.js';
import { at, entriesAt, type Rule, type RuleIssue } from './rule.js';

export const fisActionParameters: Rule = {
  name: 'fis-action-parameters',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const action of awsActions(raw)) {
      if (action.spec === undefined) continue;
      const accepted = action.spec.parameters;
      const names = Object.keys(accepted);
      const given = entriesAt(action.raw, 'parameters');
      for (const [name] of given) {
        if (Object.hasOwn(accepted, name)) continue;
        const close = closest(name, names);
        issues.push({
          path: [...action.path, 'parameters', name],
          message:
            names.length === 0
              ? `${action.id} takes no parameters; remove "${name}"`
              : close
                ? `unknown parameter "${name}" for ${action.id} (did you mean ${close}?)`
                : `unknown parameter "${name}" for ${action.id}; it takes ${oneOf(names)}`,
        });
      }
      const present = new Set(given.map(([name]) => name));
      for (const [name, spec] of Object.entries(accepted)) {
        if (!spec.required || present.has(name)) continue;
        const hasBlock = at(action.raw, 'parameters') !== undefined;
        issues.push({
          path: [...action.path, 'parameters', name],
          at: hasBlock ? [...action.path, 'parameters'] : [...action.path, 'actionId'],
          message: `${action.id} needs parameter ${name} (${spec.description})`,
        });
      }
    }
    return issues;
  },
};
