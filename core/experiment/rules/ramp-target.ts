// A ramp (DESIGN §9) resizes one target of the file's own template: the workflow makes one FIS template per step
// from it, so a ramp needs `fault.template` (a `templateId` is a template shaketable cannot copy), and `ramp.target`
// names one of its targets.
import { closestName } from '../../did-you-mean.js';
import { asMap, asString, at, entriesAt, known, type Rule } from './rule.js';

export const rampTarget: Rule = {
  name: 'ramp-target',
  check(raw) {
    if (asMap(at(raw, 'fault', 'ramp')) === undefined) return [];
    if (at(raw, 'fault', 'template') === undefined) {
      if (at(raw, 'fault', 'templateId') === undefined) return []; // template-or-template-id says what is missing
      return [
        {
          path: ['fault', 'ramp'],
          message:
            'a ramp needs fault.template (one FIS template is made per step from it); replace fault.templateId with the template itself',
        },
      ];
    }
    const target = asString(at(raw, 'fault', 'ramp', 'target'));
    if (target === undefined) return [];
    const names = entriesAt(raw, 'fault', 'template', 'targets').map(([name]) => name);
    if (names.includes(target)) return [];
    const close = closestName(target, names);
    return [
      {
        path: ['fault', 'ramp', 'target'],
        message: `"${target}" is not a target of fault.template (${close ? `did you mean "${close}"?` : known(names)})`,
      },
    ];
  },
};
