// Guardrail: experiments start only inside their weekly window (days + HH:MM-HH:MM in an IANA zone).
import { DAYS, TIME_RANGE } from '../experiment/patterns.js';
import type { Window } from '../experiment/schema.js';
import type { Check } from '../result/model.js';
import { localTime } from './local-time.js';

type Day = (typeof DAYS)[number];

/** Minutes since local midnight for "HH:MM". */
function minutesOf(hours: string | undefined, minutes: string | undefined): number {
  return Number(hours) * 60 + Number(minutes);
}

/**
 * Whether `now` lies in the window. Times compare as wall-clock minutes in the window's zone, so a DST change
 * moves nothing: on a spring-forward day the skipped hour simply never occurs, on a fall-back day the repeated hour
 * is inside or outside both times. The start is inclusive, the end exclusive. An overnight window (start after end,
 * e.g. 22:00-02:00) belongs to the day it starts on: Tue 01:00 is inside when MON is listed. Equal start and end
 * means a full 24 hours from the start on each listed day.
 */
export function isInsideWindow(window: Window, now: Date): boolean {
  const range = TIME_RANGE.exec(window.between);
  if (!range) throw new RangeError(`window.between "${window.between}" is not HH:MM-HH:MM`);
  const start = minutesOf(range[1], range[2]);
  const end = minutesOf(range[3], range[4]);
  const local = localTime(now, window.timezone);
  const minute = local.minute;
  const today = local.weekday;
  const yesterday = DAYS[(DAYS.indexOf(today) + 6) % 7] as Day;
  const listed = (day: Day) => window.days.includes(day);
  if (start < end) return listed(today) && minute >= start && minute < end;
  // Overnight (or 24 h): the evening part belongs to today, the early-morning part to the window opened yesterday.
  return (listed(today) && minute >= start) || (listed(yesterday) && minute < end);
}

export function windowCheck(window: Window | undefined, now: Date): Check {
  if (!window) {
    return {
      name: 'window',
      ok: true,
      observed: now.toISOString(),
      message: 'window: no window set, any time is allowed',
    };
  }
  const observed = `${localTime(now, window.timezone).text} ${window.timezone}`;
  const bound = `${window.days.join(',')} ${window.between} ${window.timezone}`;
  const ok = isInsideWindow(window, now);
  return {
    name: 'window',
    ok,
    observed,
    bound,
    message: ok
      ? `window: ${observed} is inside ${bound}`
      : `window: ${observed} is outside ${bound}; run inside the window or change guardrails.window`,
  };
}
