// At most 5 stop conditions per FIS template, counting the alarms compiled from guardrails.abortWhen.
// https://docs.aws.amazon.com/fis/latest/userguide/fis-quotas.html ("Stop conditions per experiment template": 5)
import { asList, at, entriesAt, type Rule } from './rule.js';

export const MAX_STOP_CONDITIONS = 5;

export const stopConditionCount: Rule = {
  name: 'stop-condition-count',
  check(raw) {
    const listed = asList(at(raw, 'fault', 'template', 'stopConditions'))?.length ?? 0;
    const compiled = entriesAt(raw, 'guardrails', 'abortWhen').length;
    if (listed + compiled <= MAX_STOP_CONDITIONS) return [];
    return [
      {
        path: listed > 0 ? ['fault', 'template', 'stopConditions'] : ['guardrails', 'abortWhen'],
        message: `${listed + compiled} stop conditions (${listed} listed + ${compiled} from guardrails.abortWhen); FIS allows at most ${MAX_STOP_CONDITIONS}`,
      },
    ];
  },
};
