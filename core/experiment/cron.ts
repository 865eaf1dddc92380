// Parser for EventBridge Scheduler expressions: `cron(min hour dom month dow year)` and `rate(n unit)`.
// Generic cron libraries speak the five-field Unix dialect; this one follows the AWS dialect exactly:
// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** names accepted in place of numbers (JAN…DEC, SUN…SAT), mapped to their number */
  names?: readonly string[];
  namesFrom?: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
// AWS numbers days of the week 1-7 starting on Sunday.
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, namesFrom: 1 },
  { name: 'year', min: 1970, max: 2199 },
];

const DAY_OF_MONTH = 2;
const DAY_OF_WEEK = 4;

/** Problems with a schedule expression, one message each; empty when it is valid. */
export function scheduleExpressionErrors(expression: string): string[] {
  const text = expression.trim();
  if (text.startsWith('cron(')) return cronErrors(text);
  if (text.startsWith('rate(')) return rateErrors(text);
  return [`"${expression}" must be cron(min hour day-of-month month day-of-week year) or rate(n unit)`];
}

/** `rate(value unit)`: value a whole number ≥ 1, unit minute|hour|day, singular exactly when the value is 1. */
export function rateErrors(expression: string): string[] {
  const match = /^rate\((.*)\)$/.exec(expression.trim());
  if (!match) return [`"${expression}" must be rate(value unit), e.g. rate(1 hour) or rate(15 minutes)`];
  const parts = (match[1] ?? '').trim().split(/\s+/);
  if (parts.length !== 2)
    return [`"${expression}" must have a value and a unit, e.g. rate(1 hour) or rate(15 minutes)`];
  const [value, unit] = parts as [string, string];
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    return [`rate value "${value}" must be a whole number of at least 1`];
  }
  const n = Number(value);
  const units = ['minute', 'hour', 'day'];
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  if (!units.includes(singular)) return [`rate unit "${unit}" must be minute(s), hour(s) or day(s)`];
  if (n === 1 && unit !== singular) return [`rate(1 ${unit}) must use the singular unit: rate(1 ${singular})`];
  if (n > 1 && unit === singular) return [`rate(${n} ${unit}) must use the plural unit: rate(${n} ${unit}s)`];
  return [];
}

/** `cron(...)`: six fields, each within its range, and exactly one of day-of-month and day-of-week is `?`. */
export function cronErrors(expression: string): string[] {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (!match) return [`"${expression}" must be cron(min hour day-of-month month day-of-week year)`];
  const fields = (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 6) {
    return [`cron needs 6 fields (min hour day-of-month month day-of-week year), got ${fields.length}`];
  }
  const errors: string[] = [];
  fields.forEach((field, i) => {
    const spec = FIELDS[i]!;
    errors.push(...fieldErrors(field, spec, i).map((e) => `cron ${spec.name} "${field}": ${e}`));
  });
  const domAny = fields[DAY_OF_MONTH] === '?';
  const dowAny = fields[DAY_OF_WEEK] === '?';
  if (domAny === dowAny) {
    errors.push(
      domAny
        ? 'cron day-of-month and day-of-week cannot both be "?"; set one of them'
        : 'cron needs "?" in exactly one of day-of-month and day-of-week, e.g. cron(0 10 ? * MON-FRI *)',
    );
  }
  return errors;
}

function fieldErrors(field: string, spec: FieldSpec, index: number): string[] {
  if (field === '?') {
    return index === DAY_OF_MONTH || index === DAY_OF_WEEK
      ? []
      : ['"?" is only allowed in day-of-month or day-of-week'];
  }
  if (index === DAY_OF_MONTH) {
    // L (last day), LW (last weekday), nW (weekday nearest day n): each must stand alone in the field.
    if (field === 'L' || field === 'LW') return [];
    const w = /^(\d+)W$/.exec(field);
    if (w) return numberErrors(w[1]!, spec);
  }
  if (index === DAY_OF_WEEK) {
    // nL (last weekday n of the month), n#k (k-th weekday n of the month), L (last day of the week).
    if (field === 'L') return [];
    const last = /^([A-Za-z]{3}|\d+)L$/.exec(field);
    if (last) return valueErrors(last[1]!, spec);
    const nth = /^([A-Za-z]{3}|\d+)#(\d+)$/.exec(field);
    if (nth) {
      const errors = valueErrors(nth[1]!, spec);
      const k = Number(nth[2]);
      if (k < 1 || k > 5) errors.push(`"#${nth[2]}" must be #1 to #5 (the week of the month)`);
      return errors;
    }
  }
  if (/[LW#]/.test(field.replace(/[A-Za-z]{3}/g, (name) => (isName(name, spec) ? '' : name)))) {
    return index === DAY_OF_MONTH || index === DAY_OF_WEEK
      ? ['L, W and # must stand alone (day-of-month: L, LW, nW; day-of-week: L, nL, n#k)']
      : ['L, W and # are only allowed in day-of-month or day-of-week'];
  }
  return field.split(',').flatMap((item) => itemErrors(item, spec));
}

function itemErrors(item: string, spec: FieldSpec): string[] {
  if (item === '') return ['empty list item'];
  const [range, step, ...rest] = item.split('/');
  if (rest.length > 0) return [`"${item}" has more than one "/"`];
  const errors: string[] = [];
  if (step !== undefined) {
    if (!/^\d+$/.test(step) || Number(step) < 1) errors.push(`step "/${step}" must be a whole number of at least 1`);
    else if (Number(step) > spec.max) errors.push(`step "/${step}" is larger than ${spec.max}`);
  }
  if (range === undefined || range === '') return [...errors, `"${item}" needs a value before "/"`];
  if (range === '*') return errors;
  const bounds = range.split('-');
  if (bounds.length > 2) return [...errors, `"${range}" is not a range a-b`];
  const values: number[] = [];
  for (const bound of bounds) {
    const valueProblems = valueErrors(bound, spec);
    errors.push(...valueProblems);
    if (valueProblems.length === 0) values.push(numberOf(bound, spec));
  }
  if (values.length === 2 && values[0]! > values[1]!) errors.push(`range "${range}" runs backwards`);
  return errors;
}

function valueErrors(value: string, spec: FieldSpec): string[] {
  if (isName(value, spec)) return [];
  if (/^[A-Za-z]+$/.test(value)) {
    return spec.names
      ? [
          `unknown name "${value}"; use ${spec.names[0]}-${spec.names[spec.names.length - 1]} or ${spec.min}-${spec.max}`,
        ]
      : [`"${value}" must be a number ${spec.min}-${spec.max}`];
  }
  return numberErrors(value, spec);
}

function numberErrors(value: string, spec: FieldSpec): string[] {
  if (!/^\d+$/.test(value)) return [`"${value}" must be a number ${spec.min}-${spec.max}`];
  const n = Number(value);
  return n < spec.min || n > spec.max ? [`${n} is outside ${spec.min}-${spec.max}`] : [];
}

function isName(value: string, spec: FieldSpec): boolean {
  return spec.names?.includes(value.toUpperCase()) ?? false;
}

function numberOf(value: string, spec: FieldSpec): number {
  if (isName(value, spec)) return spec.names!.indexOf(value.toUpperCase()) + (spec.namesFrom ?? 0);
  return Number(value);
}
