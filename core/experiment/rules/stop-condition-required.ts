// A fault shaketable defines has a safety stop: a listed stop condition or an abortWhen entry, unless the
// owner opts out with guardrails.allowNoStopCondition. (A templateId template brings its own.)
import { asList, asMap, at, entriesAt, type Rule } from './rule.js';

export const stopConditionRequired: Rule = {
  name: 'stop-condition-required',
  check(raw) {
    if (asMap(at(raw, 'fault', 'template')) === undefined) return [];
    if (at(raw, 'guardrails', 'allowNoStopCondition') === true) return [];
    const listed = asList(at(raw, 'fault', 'template', 'stopConditions'))?.length ?? 0;
    if (listed > 0 || entriesAt(raw, 'guardrails', 'abortWhen').length > 0) return [];
    return [
      {
        path: ['fault', 'template', 'stopConditions'],
        message:
          'needs at least one stop condition (an alarm name, or a guardrails.abortWhen entry); set guardrails.allowNoStopCondition: true to run without one',
      },
    ];
  },
};
