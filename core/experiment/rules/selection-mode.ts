// COUNT(n) selects at least one target and PERCENT(p) a share in (0, 100]; the schema checks the shape.
import { SELECTION_MODE } from '../schema.js';
import { asString, at, entriesAt, type Rule, type RuleIssue } from './rule.js';

export const selectionMode: Rule = {
  name: 'selection-mode',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const [target, spec] of entriesAt(raw, 'fault', 'template', 'targets')) {
      const mode = asString(at(spec, 'selectionMode'));
      const match = mode === undefined ? null : SELECTION_MODE.exec(mode);
      if (!match) continue;
      const path = ['fault', 'template', 'targets', target, 'selectionMode'];
      if (match[2] !== undefined && Number(match[2]) < 1) {
        issues.push({ path, message: `${mode} selects nothing; COUNT(n) needs n ≥ 1` });
      }
      if (match[3] !== undefined) {
        const percent = Number(match[3]);
        if (!(percent > 0 && percent <= 100)) {
          issues.push({ path, message: `${mode} is outside (0, 100]; PERCENT(p) needs 0 < p ≤ 100` });
        }
      }
    }
    return issues;
  },
};
