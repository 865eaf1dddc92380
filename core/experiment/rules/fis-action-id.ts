// Every AWS action id is one the FIS action table knows, or validate would pass what synth and FIS refuse.
import { FIS_ACTIONS } from '../../fis/actions.js';
import { closest } from '../suggest.js';
import { awsActions } from './fis-table.js';
import type { Rule, RuleIssue } from './rule.js';

export const fisActionId: Rule = {
  name: 'fis-action-id',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const action of awsActions(raw)) {
      if (action.spec !== undefined) continue;
      const close = closest(action.id, Object.keys(FIS_ACTIONS));
      issues.push({
        path: [...action.path, 'actionId'],
        message: close
          ? `unknown FIS action "${action.id}" (did you mean ${close}?)`
          : `unknown FIS action "${action.id}"; \`shaketable actions\` lists the ${Object.keys(FIS_ACTIONS).length} FIS actions`,
      });
    }
    return issues;
  },
};
