import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Window } from '../../../core/experiment/schema.js';
import { isInsideWindow, windowCheck } from '../../../core/guardrails/window.js';

const weekdays: Window = {
  days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
  between: '09:30-16:00',
  timezone: 'Europe/Berlin',
};
const at = (iso: string) => new Date(iso);

describe('windowCheck', () => {
  it('allows any time when no window is set', () => {
    const check = windowCheck(undefined, at('2026-04-05T03:00:00Z'));
    expect(check).toMatchObject({ name: 'window', ok: true });
  });

  it('allows a start inside the window, judged in the window zone', () => {
    // 2026-04-01 is a Wednesday; 08:00Z is 10:00 CEST.
    const check = windowCheck(weekdays, at('2026-04-01T08:00:00Z'));
    expect(check.ok).toBe(true);
    expect(check.observed).toBe('Wed 2026-04-01 10:00 Europe/Berlin');
  });

  it('refuses a start after the end, naming the observed time and the window', () => {
    // 14:30Z is 16:30 CEST.
    const check = windowCheck(weekdays, at('2026-04-01T14:30:00Z'));
    expect(check.ok).toBe(false);
    expect(check.message).toBe(
      'window: Wed 2026-04-01 16:30 Europe/Berlin is outside MON,TUE,WED,THU,FRI 09:30-16:00 Europe/Berlin; run inside the window or change guardrails.window',
    );
  });

  it('treats the start as inside and the end as outside', () => {
    expect(isInsideWindow(weekdays, at('2026-04-01T07:30:00Z'))).toBe(true); // 09:30 CEST
    expect(isInsideWindow(weekdays, at('2026-04-01T07:29:59Z'))).toBe(false);
    expect(isInsideWindow(weekdays, at('2026-04-01T14:00:00Z'))).toBe(false); // 16:00 CEST
  });

  it('refuses a day that is not listed', () => {
    // Saturday 2026-04-04 at 10:00 CEST.
    expect(windowCheck(weekdays, at('2026-04-04T08:00:00Z')).ok).toBe(false);
  });

  it('uses the local weekday, not the UTC one', () => {
    const sunday: Window = { days: ['SUN'], between: '00:00-02:00', timezone: 'Asia/Tokyo' };
    // Saturday 16:30Z is Sunday 01:30 in Tokyo.
    expect(isInsideWindow(sunday, at('2026-04-04T16:30:00Z'))).toBe(true);
  });

  describe('an overnight window belongs to the day it starts on', () => {
    const mondayNight: Window = { days: ['MON'], between: '22:00-02:00', timezone: 'Europe/Berlin' };

    it('allows Tuesday 01:00 when MON is listed', () => {
      // Tuesday 2026-04-07 01:00 CEST = Monday 23:00Z.
      expect(windowCheck(mondayNight, at('2026-04-06T23:00:00Z')).ok).toBe(true);
    });

    it('allows Monday 23:00', () => {
      expect(isInsideWindow(mondayNight, at('2026-04-06T21:00:00Z'))).toBe(true);
    });

    it('refuses Monday 01:00, which belongs to the Sunday night', () => {
      expect(windowCheck(mondayNight, at('2026-04-05T23:00:00Z')).ok).toBe(false);
    });

    it('refuses Tuesday 02:00 and Tuesday 22:00', () => {
      expect(isInsideWindow(mondayNight, at('2026-04-07T00:00:00Z'))).toBe(false);
      expect(isInsideWindow(mondayNight, at('2026-04-07T20:00:00Z'))).toBe(false);
    });
  });

  describe('across DST changes in Europe/Berlin', () => {
    it('follows the switch to summer time on 2026-03-29', () => {
      const sundayMorning: Window = { days: ['SUN'], between: '09:00-10:00', timezone: 'Europe/Berlin' };
      // On Saturday (CET, UTC+1) 08:15Z is 09:15; on Sunday (CEST, UTC+2) 08:15Z is already 10:15.
      const saturday: Window = { ...sundayMorning, days: ['SAT'] };
      expect(isInsideWindow(saturday, at('2026-03-28T08:15:00Z'))).toBe(true);
      expect(windowCheck(sundayMorning, at('2026-03-29T08:15:00Z')).ok).toBe(false);
      expect(windowCheck(sundayMorning, at('2026-03-29T07:15:00Z')).ok).toBe(true);
    });

    it('keeps a window spanning the skipped hour open on both sides of it', () => {
      const night: Window = { days: ['SUN'], between: '01:00-04:00', timezone: 'Europe/Berlin' };
      expect(isInsideWindow(night, at('2026-03-29T00:30:00Z'))).toBe(true); // 01:30 CET
      expect(isInsideWindow(night, at('2026-03-29T01:30:00Z'))).toBe(true); // 03:30 CEST
      expect(isInsideWindow(night, at('2026-03-29T02:00:00Z'))).toBe(false); // 04:00 CEST
    });

    it('ends an overnight window at its wall-clock end on the spring-forward night', () => {
      const saturdayNight: Window = { days: ['SAT'], between: '22:00-02:00', timezone: 'Europe/Berlin' };
      expect(isInsideWindow(saturdayNight, at('2026-03-29T00:59:00Z'))).toBe(true); // 01:59 CET
      expect(isInsideWindow(saturdayNight, at('2026-03-29T01:00:00Z'))).toBe(false); // 03:00 CEST
    });

    it('counts both occurrences of the repeated hour on 2026-10-25', () => {
      const night: Window = { days: ['SUN'], between: '02:00-03:00', timezone: 'Europe/Berlin' };
      expect(isInsideWindow(night, at('2026-10-25T00:30:00Z'))).toBe(true); // 02:30 CEST
      expect(isInsideWindow(night, at('2026-10-25T01:30:00Z'))).toBe(true); // 02:30 CET
      expect(windowCheck(night, at('2026-10-25T02:00:00Z')).ok).toBe(false); // 03:00 CET
    });

    it('ends an overnight window after the repeated hour on the fall-back night', () => {
      const saturdayNight: Window = { days: ['SAT'], between: '22:00-03:00', timezone: 'Europe/Berlin' };
      expect(isInsideWindow(saturdayNight, at('2026-10-25T01:59:00Z'))).toBe(true); // 02:59 CET, second pass
      expect(isInsideWindow(saturdayNight, at('2026-10-25T02:00:00Z'))).toBe(false); // 03:00 CET
    });
  });

  describe('properties', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'Pacific/Chatham'];
    const hhmm = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2031, 0, 1) }).map((ms) => new Date(ms));
    const allDays: Window['days'] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

    it('on every day, A-B and B-A split every instant between them, DST or not', () => {
      fc.assert(
        fc.property(hhmm, hhmm, fc.constantFrom(...zones), instant, (a, b, timezone, now) => {
          fc.pre(a !== b);
          const ab = isInsideWindow({ days: allDays, between: `${a}-${b}`, timezone }, now);
          const ba = isInsideWindow({ days: allDays, between: `${b}-${a}`, timezone }, now);
          return ab !== ba;
        }),
        { numRuns: 500 },
      );
    });

    it('an overnight window is the evening of its start day plus the early morning after it', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 13, max: 23 }),
          fc.integer({ min: 1, max: 11 }),
          fc.subarray(allDays, { minLength: 1 }),
          fc.constantFrom(...zones),
          instant,
          (start, end, days, timezone, now) => {
            const pad = (n: number) => String(n).padStart(2, '0');
            const overnight = isInsideWindow({ days, between: `${pad(start)}:00-${pad(end)}:00`, timezone }, now);
            const evening = isInsideWindow({ days, between: `${pad(start)}:00-23:59`, timezone }, now);
            const lastMinute = isInsideWindow({ days, between: '23:59-00:00', timezone }, now);
            const next = days.map((d) => allDays[(allDays.indexOf(d) + 1) % 7] as Window['days'][number]);
            const morning = isInsideWindow({ days: next, between: `00:00-${pad(end)}:00`, timezone }, now);
            return overnight === (evening || lastMinute || morning);
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});
