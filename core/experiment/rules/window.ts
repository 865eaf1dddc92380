// A run window has a length: start and end differ (an overnight window such as 22:00-02:00 is valid).
import { TIME_RANGE } from '../schema.js';
import { asString, at, type Rule } from './rule.js';

export const runWindow: Rule = {
  name: 'window',
  check(raw) {
    const between = asString(at(raw, 'guardrails', 'window', 'between'));
    const match = between === undefined ? null : TIME_RANGE.exec(between);
    if (!match || match[1] !== match[3] || match[2] !== match[4]) return [];
    return [
      {
        path: ['guardrails', 'window', 'between'],
        message: `"${between}" is an empty window; start and end must differ`,
      },
    ];
  },
};
