// abortWhen alarms are attached to the template shaketable creates, so they cannot go with a templateId.
import { at, type Rule } from './rule.js';

export const abortWhenTemplateId: Rule = {
  name: 'abort-when-template-id',
  check(raw) {
    if (at(raw, 'fault', 'templateId') === undefined || at(raw, 'guardrails', 'abortWhen') === undefined) return [];
    return [
      {
        path: ['guardrails', 'abortWhen'],
        message:
          'abortWhen is not allowed with fault.templateId (shaketable cannot add stop conditions to a template it does not own); add the alarms to that template instead',
      },
    ];
  },
};
