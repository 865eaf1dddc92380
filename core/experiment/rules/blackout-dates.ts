// Blackouts are real calendar dates with `from` on or before `to` (both inclusive).
import { asList, asString, at, type Rule, type RuleIssue } from './rule.js';

export const blackoutDates: Rule = {
  name: 'blackout-dates',
  check(raw) {
    const issues: RuleIssue[] = [];
    (asList(at(raw, 'guardrails', 'blackouts')) ?? []).forEach((blackout, i) => {
      const path = ['guardrails', 'blackouts', i];
      const from = asString(at(blackout, 'from'));
      const to = asString(at(blackout, 'to'));
      const isDate = (v: string | undefined): v is string => v !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(v);
      let bothReal = isDate(from) && isDate(to);
      for (const [key, value] of [
        ['from', from],
        ['to', to],
      ] as const) {
        if (isDate(value) && !isCalendarDate(value)) {
          issues.push({ path: [...path, key], message: `${value} is not a calendar date` });
          bothReal = false;
        }
      }
      if (bothReal && from! > to!) {
        issues.push({
          path: [...path, 'to'],
          message: `to ${to} is before from ${from}; dates are inclusive, so use to ≥ from`,
        });
      }
    });
    return issues;
  },
};

function isCalendarDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
