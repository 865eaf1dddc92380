// The fault is defined here (`template`) or borrowed from an existing FIS template (`templateId`), not both.
import { asMap, at, type Rule } from './rule.js';

export const templateOrTemplateId: Rule = {
  name: 'template-or-template-id',
  check(raw) {
    const fault = asMap(at(raw, 'fault'));
    if (!fault) return [];
    const hasTemplate = fault['template'] !== undefined;
    const hasId = fault['templateId'] !== undefined;
    if (hasTemplate && hasId) {
      return [{ path: ['fault', 'templateId'], message: 'use either template or templateId, not both' }];
    }
    if (!hasTemplate && !hasId) {
      return [
        { path: ['fault', 'template'], message: 'needs template (a FIS template) or templateId (an existing one)' },
      ];
    }
    return [];
  },
};
