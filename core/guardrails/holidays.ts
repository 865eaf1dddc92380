// Guardrail: no experiment on a public holiday of the configured calendar (date-holidays, country[-state]),
// judged on the calendar date in the window's zone.
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import type { Check } from '../result/model.js';

const DAY_MS = 86_400_000;

/** The public holidays (only type 'public': bank, school, optional days and observances do not block) on a date. */
export function publicHolidaysOn(code: string, isoDate: string): string[] {
  const [country = '', state] = code.split('-');
  const catalog = new Holidays();
  if (!catalog.getCountries()[country]) throw new RangeError(`holidays: unknown country "${country}" in "${code}"`);
  if (state !== undefined && !catalog.getStates(country)?.[state]) {
    throw new RangeError(`holidays: unknown region "${state}" of ${country} in "${code}"`);
  }
  const calendar =
    state === undefined
      ? new Holidays(country, { languages: ['en'] })
      : new Holidays(country, state, { languages: ['en'] });
  const year = Number(isoDate.slice(0, 4));
  const target = Date.parse(`${isoDate}T00:00:00Z`);
  // The previous year too: a multi-day holiday may start on 31 December.
  const holidays = [...calendar.getHolidays(year - 1), ...calendar.getHolidays(year)];
  return holidays
    .filter((h) => h.type === 'public')
    .filter((h) => {
      // `date` is the holiday's local start ("YYYY-MM-DD hh:mm:ss"); it covers that date and the following ones
      // for as long as it lasts (rounded, so a 23 h or 25 h DST day or a half-day still counts as one day).
      const first = Date.parse(`${h.date.slice(0, 10)}T00:00:00Z`);
      const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
      return target >= first && target < first + days * DAY_MS;
    })
    .map((h) => h.name);
}

export function holidaysCheck(code: string | undefined, now: Date, zone: string): Check {
  if (!code) return { name: 'holidays', ok: true, message: 'holidays: no holiday calendar set' };
  const date = DateTime.fromJSDate(now, { zone }).toISODate();
  if (!date) throw new RangeError(`holidays: "${zone}" is not a valid IANA zone`);
  let names: string[];
  try {
    names = publicHolidaysOn(code, date);
  } catch (error) {
    // An unknown calendar must not pass silently (date-holidays would return no holidays at all).
    if (!(error instanceof RangeError)) throw error;
    return {
      name: 'holidays',
      ok: false,
      observed: code,
      bound: 'a known country[-region] calendar',
      message: `${error.message}; use an ISO 3166 code such as DE or DE-BE`,
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
