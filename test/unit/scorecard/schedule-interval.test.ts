// The longest gap of a schedule: exact for rate(), measured over real calendars for cron(), never shorter than the
// average interval the cost model uses, and refused for expressions that never fire.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAYS_PER_MONTH } from '../../../core/cost/prices.js';
import { invocationsPerMonth } from '../../../core/cost/schedule.js';
import {
  longestScheduleGapSeconds,
  nextScheduleFiring,
  ScheduleIntervalError,
} from '../../../core/scorecard/schedule-interval.js';

const DAY = 86_400;

describe('longestScheduleGapSeconds', () => {
  it('is the rate itself for rate() expressions', () => {
    expect(longestScheduleGapSeconds('rate(1 hour)')).toBe(3600);
    expect(longestScheduleGapSeconds('rate(15 minutes)')).toBe(900);
    expect(longestScheduleGapSeconds('rate(7 days)')).toBe(7 * DAY);
  });

  it('spans the weekend for a weekday cron, not the 1.4-day average', () => {
    expect(longestScheduleGapSeconds('cron(0 10 ? * MON-FRI *)')).toBe(3 * DAY);
    expect(longestScheduleGapSeconds('cron(0 10 ? * TUE-THU *)')).toBe(5 * DAY);
  });

  it('measures gaps inside a day and across months', () => {
    expect(longestScheduleGapSeconds('cron(0 9,17 * * ? *)')).toBe(16 * 3600);
    expect(longestScheduleGapSeconds('cron(0/15 * * * ? *)')).toBe(900);
    // second Wednesday of the month: at most five weeks apart
    expect(longestScheduleGapSeconds('cron(30 13 ? * WED#2 *)')).toBe(35 * DAY);
    expect(longestScheduleGapSeconds('cron(0 10 L * ? *)')).toBe(31 * DAY);
    expect(longestScheduleGapSeconds('cron(0 0 29 2 ? *)')).toBe(1461 * DAY);
  });

  it('has no interval for a one-time at() schedule', () => {
    expect(longestScheduleGapSeconds('at(2026-04-01T10:00:00)')).toBeUndefined();
  });

  it('refuses a cron that never fires on a real date and an expression that is not a schedule', () => {
    expect(() => longestScheduleGapSeconds('cron(0 0 30 2 ? *)')).toThrow(ScheduleIntervalError);
    expect(() => longestScheduleGapSeconds('every tuesday')).toThrow(/is not a rate\(\), cron\(\) or at\(\)/);
  });

  it('is never shorter than the average interval of the cost model', () => {
    const field = (lo: number, hi: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min: lo, max: hi }).map(String),
        fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: 1, max: 5 })).map(([a, s]) => `${a}/${s}`),
      );
    const cron = fc
      .record({
        minute: field(0, 59),
        hour: field(0, 23),
        dom: field(1, 28),
        month: field(1, 12),
        dow: field(1, 7),
        byWeekday: fc.boolean(),
      })
      .map((c) => `cron(${c.minute} ${c.hour} ${c.byWeekday ? '?' : c.dom} ${c.month} ${c.byWeekday ? c.dow : '?'} *)`);
    fc.assert(
      fc.property(cron, (expression) => {
        const gap = longestScheduleGapSeconds(expression)!;
        const average = (DAYS_PER_MONTH * DAY) / invocationsPerMonth(expression);
        expect(gap).toBeGreaterThanOrEqual(average * 0.999);
      }),
      { numRuns: 60 },
    );
  });
});

describe('nextScheduleFiring', () => {
  const after = new Date('2026-12-07T11:45:00Z'); // a Monday

  it('reads cron fields as wall-clock time in the schedule timezone', () => {
    expect(nextScheduleFiring('cron(0 10 ? * TUE-THU *)', 'Europe/Berlin', after)?.toISOString()).toBe(
      '2026-12-08T09:00:00.000Z',
    );
    // The second Wednesday of December 2026 is the 9th; 13:30 in New York is 18:30 UTC in winter.
    expect(nextScheduleFiring('cron(30 13 ? * WED#2 *)', 'America/New_York', after)?.toISOString()).toBe(
      '2026-12-09T18:30:00.000Z',
    );
    expect(nextScheduleFiring('cron(0 12 * * ? *)', undefined, after)?.toISOString()).toBe('2026-12-07T12:00:00.000Z');
  });

  it('is strictly after the given instant, also in summer time', () => {
    const at = new Date('2026-07-01T08:00:00Z'); // 10:00 in Berlin (CEST)
    expect(nextScheduleFiring('cron(0 10 * * ? *)', 'Europe/Berlin', at)?.toISOString()).toBe(
      '2026-07-02T08:00:00.000Z',
    );
  });

  it('takes a time skipped by the DST change an hour later', () => {
    const january = new Date('2026-01-01T00:00:00Z');
    expect(nextScheduleFiring('cron(30 2 29 3 ? *)', 'Europe/Berlin', january)?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('knows no next firing for rate() or a cron whose years are over', () => {
    expect(nextScheduleFiring('rate(1 hour)', undefined, after)).toBeUndefined();
    expect(nextScheduleFiring('cron(0 10 1 1 ? 2025)', undefined, after)).toBeUndefined();
  });
});
