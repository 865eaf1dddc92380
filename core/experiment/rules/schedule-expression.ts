// schedule.expression is a valid EventBridge Scheduler cron(...) or rate(...) expression.
import { scheduleExpressionErrors } from '../cron.js';
import { asString, at, type Rule } from './rule.js';

export const scheduleExpression: Rule = {
  name: 'schedule-expression',
  check(raw) {
    const expression = asString(at(raw, 'schedule', 'expression'));
    if (expression === undefined) return [];
    return scheduleExpressionErrors(expression).map((message) => ({ path: ['schedule', 'expression'], message }));
  },
};
