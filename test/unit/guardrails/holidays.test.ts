import { describe, expect, it } from 'vitest';
import { holidayTable, publicHolidaysOn } from '../../../core/guardrails/date-holidays-calendar.js';
import { tableCalendar } from '../../../core/guardrails/holiday-calendar.js';
import { holidaysCheck as check } from '../../../core/guardrails/holidays.js';

const holidaysCheck = (code: string | undefined, now: Date, zone: string) => check(code, now, zone, publicHolidaysOn);

const at = (iso: string) => new Date(iso);

describe('holidaysCheck', () => {
  it('allows any day when no calendar is set', () => {
    expect(holidaysCheck(undefined, at('2026-12-25T10:00:00Z'), 'UTC')).toMatchObject({ name: 'holidays', ok: true });
  });

  it('refuses a public holiday, naming the date, the calendar and the holiday', () => {
    const check = holidaysCheck('DE-BE', at('2026-12-25T10:00:00Z'), 'Europe/Berlin');
    expect(check.ok).toBe(false);
    expect(check.message).toBe(
      'holidays: 2026-12-25 Europe/Berlin is a public holiday in DE-BE (Christmas Day); run on another day',
    );
  });

  it('allows an ordinary working day', () => {
    const check = holidaysCheck('DE-BE', at('2026-04-01T10:00:00Z'), 'Europe/Berlin');
    expect(check.ok).toBe(true);
    expect(check.message).toBe('holidays: 2026-04-01 Europe/Berlin is not a public holiday in DE-BE');
  });

  it('uses the region: 8 March is a public holiday in Berlin but not in Germany as a whole', () => {
    expect(holidaysCheck('DE-BE', at('2026-03-09T10:00:00Z'), 'UTC').ok).toBe(true);
    expect(holidaysCheck('DE-BE', at('2026-03-08T10:00:00Z'), 'UTC').ok).toBe(false);
    expect(holidaysCheck('DE', at('2026-03-08T10:00:00Z'), 'UTC').ok).toBe(true);
  });

  it('ignores days that are not public holidays (bank holidays, observances)', () => {
    // Christmas Eve is a bank half-day in Germany, Ash Wednesday an observance.
    expect(publicHolidaysOn('DE-BE', '2026-12-24')).toEqual([]);
    expect(holidaysCheck('DE-BE', at('2026-02-18T10:00:00Z'), 'Europe/Berlin').ok).toBe(true);
  });

  it('counts substitute public holidays', () => {
    expect(holidaysCheck('US', at('2026-07-03T15:00:00Z'), 'America/New_York').ok).toBe(false);
  });

  it('judges the date in the given zone', () => {
    // 23:30Z on the 24th is already the 25th in Berlin.
    const now = at('2026-12-24T23:30:00Z');
    expect(holidaysCheck('DE-BE', now, 'Europe/Berlin').ok).toBe(false);
    expect(holidaysCheck('DE-BE', now, 'UTC').ok).toBe(true);
  });

  it('refuses an unknown country instead of finding no holidays in it', () => {
    const check = holidaysCheck('XX', at('2026-04-01T10:00:00Z'), 'UTC');
    expect(check.ok).toBe(false);
    expect(check.message).toContain('unknown country "XX"');
  });

  it('refuses an unknown region instead of falling back to the country', () => {
    const check = holidaysCheck('DE-ZZ', at('2026-04-01T10:00:00Z'), 'UTC');
    expect(check.ok).toBe(false);
    expect(check.message).toContain('unknown region "ZZ" of DE');
  });
});

describe('the holiday table the CDK bundles for the deployed catalog', () => {
  const table = holidayTable('DE-BE', 2026, 2027);

  it('answers like date-holidays for every day it covers', () => {
    const calendar = tableCalendar([table]);
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t <= Date.parse('2027-12-31T00:00:00Z'); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      expect(calendar('DE-BE', day), day).toEqual(publicHolidaysOn('DE-BE', day));
    }
    expect(Object.keys(table.dates)).toContain('2026-12-25');
  });

  it('refuses, naming what to do, a date or a calendar it does not cover', () => {
    const calendar = tableCalendar([table]);
    const late = check('DE-BE', new Date('2028-01-05T10:00:00Z'), 'Europe/Berlin', calendar);
    expect(late.ok).toBe(false);
    expect(late.message).toMatch(/covers 2026-01-01..2027-12-31.*redeploy/);
    expect(check('FR', new Date('2026-05-05T10:00:00Z'), 'UTC', calendar).message).toMatch(/no calendar for FR/);
  });

  it('refuses an experiment with holidays when no calendar is available', () => {
    expect(check('DE-BE', new Date('2026-05-05T10:00:00Z'), 'UTC', undefined).ok).toBe(false);
  });
});
