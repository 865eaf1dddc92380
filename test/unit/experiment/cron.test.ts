// The EventBridge Scheduler expression parser: the AWS documentation's examples pass, Unix-isms and
// out-of-range fields are refused with a message naming the field.
import { describe, expect, it } from 'vitest';
import { cronErrors, rateErrors, scheduleExpressionErrors } from '../../../core/experiment/cron.js';

describe('cron expressions', () => {
  it.each([
    'cron(0 10 * * ? *)',
    'cron(15 12 * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(0 10 ? * TUE-THU *)',
    'cron(30 2 29 3 ? 2026)',
    'cron(0 0 L * ? *)',
    'cron(0 0 LW * ? *)',
    'cron(0 0 15W * ? *)',
    'cron(0 0 ? * 6L *)',
    'cron(0 0 ? * FRI#3 2025-2030)',
    'cron(0 12 ? JAN,APR,JUL,OCT MON *)',
    'cron(5,35 14 * JAN-MAR ? 2026/2)',
    'cron(0 10 ? * sun *)',
  ])('allows %s', (expression) => {
    expect(cronErrors(expression)).toEqual([]);
  });

  it.each([
    ['cron(0 10 * * 1)', 'needs 6 fields'],
    ['cron(0 10 * * MON *)', 'exactly one of day-of-month and day-of-week'],
    ['cron(0 10 ? * ? *)', 'cannot both be "?"'],
    ['cron(60 10 ? * MON *)', 'minutes "60": 60 is outside 0-59'],
    ['cron(0 24 ? * MON *)', 'hours "24": 24 is outside 0-23'],
    ['cron(0 10 32 * ? *)', 'day-of-month "32": 32 is outside 1-31'],
    ['cron(0 10 0 * ? *)', 'day-of-month "0": 0 is outside 1-31'],
    ['cron(0 10 ? 13 MON *)', 'month "13"'],
    ['cron(0 10 ? FOO MON *)', 'unknown name "FOO"'],
    ['cron(0 10 ? * 8 *)', 'day-of-week "8": 8 is outside 1-7'],
    ['cron(0 10 ? * THU-TUE *)', 'runs backwards'],
    ['cron(0 10 ? * MON#6 *)', '#1 to #5'],
    ['cron(0 10 ? * MON 1969)', 'year "1969"'],
    ['cron(0/0 10 ? * MON *)', 'step "/0"'],
    ['cron(0 ? ? * MON *)', '"?" is only allowed in day-of-month or day-of-week'],
    ['cron(0 10 L,5 * ? *)', 'must stand alone'],
    ['cron(0 10W ? * MON *)', 'only allowed in day-of-month or day-of-week'],
    ['cron(0 10 ? * MON, *)', 'empty list item'],
    ['cron(0 1-2-3 ? * MON *)', 'not a range'],
  ])('refuses %s', (expression, message) => {
    const errors = cronErrors(expression);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain(message);
  });
});

describe('rate expressions', () => {
  it.each(['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)'])(
    'allows %s',
    (expression) => expect(rateErrors(expression)).toEqual([]),
  );

  it.each([
    ['rate(1 minutes)', 'singular'],
    ['rate(2 hour)', 'plural'],
    ['rate(0 minutes)', 'at least 1'],
    ['rate(1.5 hours)', 'whole number'],
    ['rate(5 weeks)', 'minute(s), hour(s) or day(s)'],
    ['rate(5)', 'a value and a unit'],
  ])('refuses %s', (expression, message) => {
    expect(rateErrors(expression).join('\n')).toContain(message);
  });
});

it('refuses an expression that is neither cron nor rate (at() one-off schedules are not supported)', () => {
  expect(scheduleExpressionErrors('0 10 * * 1')[0]).toContain('must be cron(');
  expect(scheduleExpressionErrors('at(2026-01-01T10:00:00)')[0]).toContain('must be cron(');
});
