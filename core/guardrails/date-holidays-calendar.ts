// The date-holidays library as a HolidayCalendar (public holidays only), and the yearly tables the CDK bundles for
// the deployed catalog. Imported by the sandbox, the CLI and the CDK — not by the Lambda handlers.
import Holidays from 'date-holidays';
import type { HolidayCalendar, HolidayTable } from './holiday-calendar.js';

const DAY_MS = 86_400_000;

function calendarFor(code: string): Holidays {
  const [country = '', state] = code.split('-');
  const catalog = new Holidays();
  if (!catalog.getCountries()[country]) {
    throw new RangeError(
      `holidays: unknown country "${country}" in "${code}"; use an ISO 3166 code such as DE or DE-BE`,
    );
  }
  if (state !== undefined && !catalog.getStates(country)?.[state]) {
    throw new RangeError(
      `holidays: unknown region "${state}" of ${country} in "${code}"; use an ISO 3166 code such as DE or DE-BE`,
    );
  }
  return state === undefined
    ? new Holidays(country, { languages: ['en'] })
    : new Holidays(country, state, { languages: ['en'] });
}

/**
 * Every local date covered by a public holiday of `code` starting in `years` (bank, school, optional days and
 * observances do not block). `date` is the holiday's local start; it covers that date and the following ones for
 * as long as it lasts (rounded, so a 23 h or 25 h DST day or a half-day still counts as one day).
 */
function publicHolidayDates(code: string, years: readonly number[]): Map<string, string[]> {
  const calendar = calendarFor(code);
  const dates = new Map<string, string[]>();
  for (const year of years) {
    for (const h of calendar.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const first = Date.parse(`${h.date.slice(0, 10)}T00:00:00Z`);
      const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
      for (let d = 0; d < days; d++) {
        const iso = new Date(first + d * DAY_MS).toISOString().slice(0, 10);
        dates.set(iso, [...(dates.get(iso) ?? []), h.name]);
      }
    }
  }
  return dates;
}

/** The public holidays on a date (the previous year too: a multi-day holiday may start on 31 December); a HolidayCalendar. */
export const publicHolidaysOn: HolidayCalendar = (code, isoDate) => {
  const year = Number(isoDate.slice(0, 4));
  return publicHolidayDates(code, [year - 1, year]).get(isoDate) ?? [];
};

/** The table of `code`'s public holidays from 1 January `fromYear` to 31 December `toYear`. */
export function holidayTable(code: string, fromYear: number, toYear: number): HolidayTable {
  const years = Array.from({ length: toYear - fromYear + 2 }, (_, i) => fromYear - 1 + i);
  const from = `${fromYear}-01-01`;
  const to = `${toYear}-12-31`;
  const dates: Record<string, string[]> = {};
  for (const [date, names] of [...publicHolidayDates(code, years)].sort(([a], [b]) => a.localeCompare(b))) {
    if (date >= from && date <= to) dates[date] = names;
  }
  return { code, from, to, dates };
}
