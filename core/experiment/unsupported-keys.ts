// Keys people write into an experiment's FIS template that FIS has no such thing as, or that shaketable sets
// itself: each gets the reason and the fix instead of a generic "unknown key" (or a misleading "did you mean").
// FIS action keys are actionId, description, parameters, startAfter and targets
// (https://docs.aws.amazon.com/fis/latest/APIReference/API_ExperimentTemplateAction.html); a template's own keys
// are description, targets, actions, stopConditions, roleArn, tags, logConfiguration, experimentOptions and
// experimentReportConfiguration (https://docs.aws.amazon.com/fis/latest/userguide/experiment-templates.html).
import type { IssuePath } from './issues.js';

const NO_DELAY =
  'FIS has no delay between actions: add an aws:fis:wait action (parameters.duration, e.g. PT2M) and name it in this action\u2019s startAfter';

/** Under `fault.template.actions.<name>`. */
const ACTION_KEYS: Readonly<Record<string, string>> = {
  startAfterDelay: NO_DELAY,
  startDelay: NO_DELAY,
  delay: NO_DELAY,
  duration: 'an action\u2019s duration is one of its parameters: write parameters.duration (ISO 8601, e.g. PT5M)',
  repeat:
    'FIS runs each action once per experiment: to repeat it, add the action again under another name, after the first in startAfter',
};

const SET_BY_SHAKETABLE = 'shaketable sets it on the template it deploys';

/** Under `fault.template`. */
const TEMPLATE_KEYS: Readonly<Record<string, string>> = {
  description: `${SET_BY_SHAKETABLE} from the experiment's description; remove it`,
  roleArn: `${SET_BY_SHAKETABLE}: a role limited to the actions\u2019 permissions (shaketable actions lists them); remove it`,
  tags: `${SET_BY_SHAKETABLE} from the experiment's top-level tags (plus shaketable:experiment); move them there`,
  logConfiguration: `${SET_BY_SHAKETABLE}: experiment logs go to the stack's FIS log group; remove it`,
  experimentReportConfiguration: `${SET_BY_SHAKETABLE}: experiment reports go to the results bucket; remove it`,
};

/** Why `key` (unknown to the schema at `path`, the object holding it) is not taken, when it is a known mistake. */
export function unsupportedKeyReason(path: IssuePath, key: string): string | undefined {
  const [fault, template, actions, name, ...rest] = path;
  if (fault !== 'fault' || template !== 'template') return undefined;
  if (actions === undefined) return Object.hasOwn(TEMPLATE_KEYS, key) ? TEMPLATE_KEYS[key] : undefined;
  if (actions === 'actions' && name !== undefined && rest.length === 0) {
    return Object.hasOwn(ACTION_KEYS, key) ? ACTION_KEYS[key] : undefined;
  }
  return undefined;
}
