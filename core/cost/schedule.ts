// How many times a month an EventBridge Scheduler expression fires: rate(), cron() or at(),
// averaged over a year (months have different lengths, weekdays fall differently).
import { DAYS_PER_MONTH } from './prices.js';

export class ScheduleExpressionError extends Error {
  override readonly name = 'Shaketable.ScheduleExpression';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Distinct values a cron field selects in [lo, hi]; names map to numbers (JAN=1, SUN=1 as in Scheduler). */
function fieldValues(field: string, lo: number, hi: number, names: string[] = [], nameBase = 1): Set<number> {
  const value = (text: string): number => {
    const i = names.indexOf(text.toUpperCase());
    const n = i >= 0 ? i + nameBase : Number(text);
    if (!Number.isInteger(n) || n < lo || n > hi)
      throw new ScheduleExpressionError(`cron value "${text}" is outside ${lo}-${hi}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new ScheduleExpressionError(`cron step "${stepText}" must be a positive integer`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [lo, hi];
    else if (range?.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [value(a!), value(b!)];
    } else {
      from = value(range!);
      to = stepText === undefined ? from : hi;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Days a month on which a cron's day-of-month / day-of-week fields fire, on average. */
function daysPerMonth(dom: string, dow: string): number {
  if (dom === '?' && dow === '?') throw new ScheduleExpressionError('cron needs one of day-of-month or day-of-week');
  if (dom !== '?' && dow !== '?') throw new ScheduleExpressionError('cron needs "?" in day-of-month or day-of-week');
  if (dom !== '?') {
    if (dom === '*') return DAYS_PER_MONTH;
    // L (last day), LW, nW: one day a month each.
    let days = 0;
    for (const part of dom.split(',')) {
      if (/^(L|LW|\d{1,2}W)$/.test(part)) days += 1;
      else days += fieldValues(part, 1, 31).size;
    }
    return Math.min(days, DAYS_PER_MONTH);
  }
  if (dow === '*') return DAYS_PER_MONTH;
  let perMonth = 0;
  for (const part of dow.split(',')) {
    // 2#1 (first Monday) and 5L (last Thursday) fire once a month.
    if (/^[A-Za-z0-9]+(#\d|L)$/.test(part)) perMonth += 1;
    else perMonth += (fieldValues(part, 1, 7, WEEKDAYS).size * DAYS_PER_MONTH) / 7;
  }
  return perMonth;
}

/** Average invocations per month; at() fires once in total, so 0 a month. */
export function invocationsPerMonth(expression: string): number {
  const text = expression.trim();
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const minutes = { minute: 1, hour: 60, day: 1440 }[rate[2]!.replace(/s$/, '') as 'minute' | 'hour' | 'day'];
    const every = Number(rate[1]) * minutes;
    if (every <= 0) throw new ScheduleExpressionError(`rate must be positive: ${text}`);
    return (DAYS_PER_MONTH * 1440) / every;
  }
  if (/^at\(.+\)$/.test(text)) return 0;
  const cron = /^cron\((.+)\)$/.exec(text);
  if (!cron) throw new ScheduleExpressionError(`"${text}" is not a rate(), cron() or at() expression`);
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6)
    throw new ScheduleExpressionError(`cron needs 6 fields (min hour dom month dow year), got ${fields.length}`);
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string, string];
  const minutes = fieldValues(min, 0, 59).size;
  const hours = fieldValues(hour, 0, 23).size;
  const months = fieldValues(month, 1, 12, MONTHS).size;
  return minutes * hours * daysPerMonth(dom, dow) * (months / 12);
}
