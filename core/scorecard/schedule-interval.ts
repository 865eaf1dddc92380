// How long an experiment can legitimately go without a run under its EventBridge Scheduler expression: the longest
// gap between two consecutive firings. The longest gap, not the average, so that cron(0 10 ? * MON-FRI *) is not
// reported late every Monday morning (the weekend is a three-day gap although the average is 1.4 days).
// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html

export class ScheduleIntervalError extends Error {
  override readonly name = 'Shaketable.ScheduleInterval';
}

const MINUTE = 60;
const DAY_SECONDS = 86_400;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
// AWS numbers days of the week 1-7 from Sunday.
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

// Eight years starting on a leap year hold at least two firings of any cron without a year restriction, even
// cron(0 0 29 2 ? *) (every four years), so the longest gap between them is the schedule's longest gap.
const REFERENCE_START = Date.UTC(2024, 0, 1);
const REFERENCE_DAYS = 8 * 366;

/**
 * The longest time, in seconds, between two consecutive firings of a `rate()` or `cron()` expression, or undefined
 * for `at()` (it fires once: nothing is ever expected after it). Cron days are taken in UTC and the year field is
 * ignored: a timezone or a DST change shifts firings by hours, which does not matter beside a gap counted in days.
 */
export function longestScheduleGapSeconds(expression: string): number | undefined {
  const text = expression.trim();
  if (/^at\(.+\)$/.test(text)) return undefined;
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const unit = { minute: MINUTE, hour: 3600, day: DAY_SECONDS }[rate[2]!.replace(/s$/, '') as 'minute'];
    const value = Number(rate[1]);
    if (value < 1) throw new ScheduleIntervalError(`rate must be at least 1: ${text}`);
    return value * unit;
  }
  const cron = /^cron\((.+)\)$/.exec(text);
  if (!cron) throw new ScheduleIntervalError(`"${text}" is not a rate(), cron() or at() expression`);
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleIntervalError(`cron needs 6 fields (min hour dom month dow year), got ${fields.length}: ${text}`);
  }
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string, string];
  return cronLongestGap(
    [...values(min, 0, 59)].sort((a, b) => a - b),
    [...values(hour, 0, 23)].sort((a, b) => a - b),
    dayMatcher(dom, dow),
    values(month, 1, 12, MONTHS),
    text,
  );
}

function cronLongestGap(
  minutes: number[],
  hours: number[],
  firesOn: (date: Date) => boolean,
  months: Set<number>,
  text: string,
): number {
  // Minutes of the day at which the cron fires, ascending; the same every day it fires.
  const times = hours.flatMap((h) => minutes.map((m) => (h * 60 + m) * MINUTE));
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  const first = times[0]!;
  const last = times[times.length - 1]!;
  let previousDay: number | undefined;
  let firingDays = 0;
  for (let day = 0; day < REFERENCE_DAYS; day++) {
    const date = new Date(REFERENCE_START + day * DAY_SECONDS * 1000);
    if (!months.has(date.getUTCMonth() + 1) || !firesOn(date)) continue;
    if (previousDay !== undefined) {
      longest = Math.max(longest, (day - previousDay) * DAY_SECONDS + first - last);
    }
    previousDay = day;
    firingDays++;
  }
  // Without a year field every cron that fires at all fires at least twice in eight years (Feb 29: twice).
  if (firingDays < 2) throw new ScheduleIntervalError(`${text} never fires on a real date`);
  return longest;
}

/** Distinct values a cron field selects in [lo, hi]; names (JAN, MON) map to their numbers. */
function values(field: string, lo: number, hi: number, names: readonly string[] = []): Set<number> {
  const value = (text: string): number => {
    const i = names.indexOf(text.toUpperCase());
    const n = i >= 0 ? i + 1 : Number(text);
    if (!Number.isInteger(n) || n < lo || n > hi) {
      throw new ScheduleIntervalError(`cron value "${text}" is outside ${lo}-${hi}`);
    }
    return n;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleIntervalError(`cron step "${stepText}" is not positive`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [lo, hi];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [from, to] = [value(a), value(b)];
    } else {
      from = value(range);
      to = stepText === undefined ? from : hi;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function daysInMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

/** Whether the cron fires on a day, from its day-of-month and day-of-week fields (one of them is `?`). */
function dayMatcher(dom: string, dow: string): (date: Date) => boolean {
  if (dom !== '?' && dow !== '?') throw new ScheduleIntervalError('cron needs "?" in day-of-month or day-of-week');
  if (dom === '?' && dow === '?') throw new ScheduleIntervalError('cron needs one of day-of-month or day-of-week');
  const parts = (dom !== '?' ? dom : dow).split(',');
  const tests = dom !== '?' ? parts.map(dayOfMonthTest) : parts.map(dayOfWeekTest);
  return (date) => tests.some((test) => test(date));
}

function dayOfMonthTest(part: string): (date: Date) => boolean {
  if (part === 'L') return (d) => d.getUTCDate() === daysInMonth(d);
  if (part === 'LW') return (d) => d.getUTCDate() === nearestWeekday(d, daysInMonth(d));
  const weekday = /^(\d{1,2})W$/.exec(part);
  if (weekday) return (d) => d.getUTCDate() === nearestWeekday(d, Math.min(Number(weekday[1]), daysInMonth(d)));
  const days = values(part, 1, 31);
  return (d) => days.has(d.getUTCDate());
}

/** `nW`: the weekday nearest to day n of the date's month, never crossing into another month (Quartz semantics). */
function nearestWeekday(date: Date, n: number): number {
  const last = daysInMonth(date);
  const weekday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), n)).getUTCDay();
  if (weekday === 6) return n === 1 ? 3 : n - 1;
  if (weekday === 0) return n === last ? n - 2 : n + 1;
  return n;
}

function dayOfWeekTest(part: string): (date: Date) => boolean {
  const aws = (d: Date) => d.getUTCDay() + 1;
  const nth = /^([A-Za-z]{3}|\d)#([1-5])$/.exec(part);
  if (nth) {
    const day = [...values(nth[1]!, 1, 7, WEEKDAYS)][0]!;
    const k = Number(nth[2]);
    return (d) => aws(d) === day && Math.ceil(d.getUTCDate() / 7) === k;
  }
  const lastOf = /^([A-Za-z]{3}|\d)L$/.exec(part);
  if (lastOf) {
    const day = [...values(lastOf[1]!, 1, 7, WEEKDAYS)][0]!;
    return (d) => aws(d) === day && d.getUTCDate() + 7 > daysInMonth(d);
  }
  // `L` alone in day-of-week is the last day of the week: Saturday.
  if (part === 'L') return (d) => aws(d) === 7;
  const days = values(part, 1, 7, WEEKDAYS);
  return (d) => days.has(aws(d));
}

/**
 * The first firing of a `cron()` expression strictly after `after`, with its fields read as wall-clock time in
 * `timezone` (EventBridge Scheduler's ScheduleExpressionTimezone, UTC when absent); undefined for `rate()` (its
 * firings count from when the schedule was created, which the experiment file does not know) and for a cron that
 * does not fire again within eight years. A wall-clock time that a DST change skips is taken an hour later.
 */
export function nextScheduleFiring(expression: string, timezone: string | undefined, after: Date): Date | undefined {
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) return undefined;
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleIntervalError(
      `cron needs 6 fields (min hour dom month dow year), got ${fields.length}: ${expression}`,
    );
  }
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  const minutes = [...values(min, 0, 59)].sort((a, b) => a - b);
  const hours = [...values(hour, 0, 23)].sort((a, b) => a - b);
  const months = values(month, 1, 12, MONTHS);
  const years = year === '*' ? undefined : values(year, 1970, 2199);
  const firesOn = dayMatcher(dom, dow);
  const zone = timezone ?? 'UTC';
  const start = wallClock(after.getTime(), zone);
  for (let day = 0; day < REFERENCE_DAYS; day++) {
    // The calendar day in the schedule's zone, as a UTC date (the day matchers read UTC fields).
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + day));
    if (!months.has(date.getUTCMonth() + 1) || (years && !years.has(date.getUTCFullYear())) || !firesOn(date)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const instant = zonedInstant(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), h, m, zone);
        if (instant > after.getTime()) return new Date(instant);
      }
    }
  }
  return undefined;
}

/** The wall-clock date of an instant in a time zone. */
function wallClock(epochMs: number, timezone: string): { year: number; month: number; day: number } {
  const parts = zoneParts(epochMs, timezone);
  return { year: parts.year, month: parts.month, day: parts.day };
}

function zoneParts(epochMs: number, timezone: string) {
  const formatted = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(formatted.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** The instant at which the wall clock of `timezone` reads the given time (month 0-based). */
function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timezone: string) {
  const wall = Date.UTC(year, month, day, hour, minute);
  const offsetAt = (instant: number) => {
    const p = zoneParts(instant, timezone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(instant / 60_000) * 60_000;
  };
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}
