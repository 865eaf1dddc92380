// Guardrail: no experiment on a public holiday of the configured calendar (country[-state]), judged on the
// calendar date in the window's zone. Which calendar answers is the caller's (holiday-calendar.ts).
import type { Check } from '../result/model.js';
import type { HolidayCalendar } from './holiday-calendar.js';
import { localTime } from './local-time.js';

export function holidaysCheck(
  code: string | undefined,
  now: Date,
  zone: string,
  calendar: HolidayCalendar | undefined,
): Check {
  if (!code) return { name: 'holidays', ok: true, message: 'holidays: no holiday calendar set' };
  const { date } = localTime(now, zone);
  let names: string[];
  try {
    if (!calendar) throw new RangeError(`holidays: no holiday calendar is available to judge ${code}`);
    names = calendar(code, date);
  } catch (error) {
    // An unknown calendar, or a date the calendar does not cover, must not pass silently.
    if (!(error instanceof RangeError)) throw error;
    return {
      name: 'holidays',
      ok: false,
      observed: code,
      bound: 'a known country[-region] calendar',
      message: error.message,
    };
  }
  const observed = `${date} ${zone}`;
  const ok = names.length === 0;
  return {
    name: 'holidays',
    ok,
    observed: ok ? observed : `${observed}: ${names.join(', ')}`,
    bound: `no public holiday in ${code}`,
    message: ok
      ? `holidays: ${observed} is not a public holiday in ${code}`
      : `holidays: ${observed} is a public holiday in ${code} (${names.join(', ')}); run on another day`,
  };
}
