// Wall-clock time in an IANA zone, from the runtime's own zone database (Intl): the guardrails judge windows,
// holidays and blackouts on local time without a date library, so the Lambda functions that check them stay small.
import type { DAYS } from '../experiment/patterns.js';

type Day = (typeof DAYS)[number];

export interface LocalTime {
  weekday: Day;
  /** minutes since local midnight */
  minute: number;
  /** local calendar date, YYYY-MM-DD */
  date: string;
  /** `Wed 2026-04-01 10:00`, for messages */
  text: string;
}

const WEEKDAYS: Record<string, Day> = {
  Mon: 'MON',
  Tue: 'TUE',
  Wed: 'WED',
  Thu: 'THU',
  Fri: 'FRI',
  Sat: 'SAT',
  Sun: 'SUN',
};
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `now` in `zone` (a RangeError for an unknown zone). */
export function localTime(now: Date, zone: string): LocalTime {
  let format = formatters.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`"${zone}" is not a valid IANA time zone`);
      throw error;
    }
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  const weekday = WEEKDAYS[parts.weekday ?? ''];
  if (!weekday) throw new RangeError(`window: cannot read the weekday of ${now.toISOString()} in ${zone}`);
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return {
    weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    date,
    text: `${parts.weekday} ${date} ${parts.hour}:${parts.minute}`,
  };
}
