// Every AWS action id is one the FIS action table knows, or validate would pass what synth and FIS refuse.

import { closestName } from '../../did-you-mean.js';
import { FIS_ACTIONS } from '../../fis/actions.js';
import { awsActions } from './fis-table.js';
import type { Rule, RuleIssue } from './rule.js';

/** What is wrong with an unknown action id and its fix; synth's UnknownFisActionError says the same. */
export function unknownFisActionMessage(actionId: string): string {
  const close = closestName(actionId, Object.keys(FIS_ACTIONS));
  return close
    ? `unknown FIS action "${actionId}" (did you mean ${close}?)`
    : `unknown FIS action "${actionId}"; \`shaketable actions\` lists the ${Object.keys(FIS_ACTIONS).length} FIS actions`;
}

export const fisActionId: Rule = {
  name: 'fis-action-id',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const action of awsActions(raw)) {
      if (action.spec !== undefined) continue;
      issues.push({ path: [...action.path, 'actionId'], message: unknownFisActionMessage(action.id) });
    }
    return issues;
  },
};
