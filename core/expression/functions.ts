// The CloudWatch metric-math functions, as data: what each takes and returns, whether a CloudWatch alarm can
// evaluate it, and whether the sandbox can. Validation, the alarm compiler and the sandbox evaluator read this
// table only. Source: "Metric math syntax and functions" in the CloudWatch User Guide
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html) and "Create a
// CloudWatch alarm based on a metric math expression" (an alarm watches one time series; no SEARCH).

/**
 * What a value is: S a number, TS one time series, TS[] several, STR a quoted string, STR[] an array of strings.
 * Upper-case words in a form (REPEAT, LINEAR, ASC…) are the keywords accepted at that place.
 */
export type ValueType = 'S' | 'TS' | 'TS[]' | 'STR' | 'STR[]';

export interface MetricMathFunction {
  /**
   * Accepted argument lists and what each returns, as `ARG, ARG|ARG, ARG? -> RESULT` (`?` optional, `...` any
   * number more of the last one).
   */
  forms: readonly string[];
  /** why a CloudWatch alarm cannot evaluate it, when it cannot */
  notInAlarms?: string;
  /** whether the sandbox evaluates it (AWS-only functions read data only CloudWatch has, or are not built) */
  sandbox: boolean;
  /** why it is refused everywhere, with what to write instead */
  refused?: string;
}

const PER_POINT = ['TS -> TS', 'TS[] -> TS[]'];
const AGGREGATE = ['TS -> S', 'TS[] -> TS'];
const TIME_PART = ['TS -> TS'];

export const METRIC_MATH_FUNCTIONS: Readonly<Record<string, MetricMathFunction>> = {
  ABS: { forms: PER_POINT, sandbox: true },
  ANOMALY_DETECTION_BAND: {
    forms: ['TS -> TS[]', 'TS, S -> TS[]'],
    notInAlarms: 'a band needs an anomaly-detection alarm, not the static threshold abortWhen compiles to',
    sandbox: false,
  },
  AVG: { forms: AGGREGATE, sandbox: true },
  CEIL: { forms: PER_POINT, sandbox: true },
  DATAPOINT_COUNT: { forms: AGGREGATE, sandbox: true },
  DATE: { forms: TIME_PART, sandbox: true },
  DAY: { forms: TIME_PART, sandbox: true },
  DB_PERF_INSIGHTS: { forms: ['STR, STR, STR -> TS', 'STR, STR, STR[] -> TS[]'], sandbox: false },
  DIFF: { forms: PER_POINT, sandbox: true },
  DIFF_TIME: { forms: PER_POINT, sandbox: true },
  EPOCH: { forms: TIME_PART, sandbox: true },
  FILL: { forms: ['TS, S|REPEAT|LINEAR -> TS', 'TS[], TS|S|REPEAT|LINEAR -> TS[]'], sandbox: true },
  FIRST: { forms: ['TS[] -> TS'], sandbox: true },
  FLOOR: { forms: PER_POINT, sandbox: true },
  HOUR: { forms: TIME_PART, sandbox: true },
  IF: {
    // IF(condition, then, else?): the documented syntaxes; the result is always one series.
    forms: ['TS, TS|S, TS|S? -> TS', 'S, TS, TS? -> TS'],
    sandbox: true,
  },
  INSIGHT_RULE_METRIC: { forms: ['STR, STR -> TS'], sandbox: false },
  LAST: { forms: ['TS[] -> TS'], sandbox: true },
  LOG: { forms: PER_POINT, sandbox: true },
  LOG10: { forms: PER_POINT, sandbox: true },
  MAX: { forms: AGGREGATE, sandbox: true },
  METRIC_COUNT: { forms: ['TS[] -> S'], sandbox: true },
  METRICS: {
    forms: ['-> TS[]', 'STR -> TS[]'],
    sandbox: false,
    refused:
      'METRICS() reads every metric of the request shaketable builds (raw and filled copies included); list the probes instead, e.g. SUM([a, b])',
  },
  MIN: { forms: AGGREGATE, sandbox: true },
  MINUTE: { forms: TIME_PART, sandbox: true },
  MONTH: { forms: TIME_PART, sandbox: true },
  PERIOD: { forms: ['TS -> S'], sandbox: true },
  RATE: { forms: PER_POINT, sandbox: true },
  REMOVE_EMPTY: { forms: ['TS[] -> TS[]'], sandbox: true },
  RUNNING_SUM: { forms: PER_POINT, sandbox: true },
  SEARCH: {
    forms: ['STR, STR -> TS[]', 'STR, STR, S -> TS[]'],
    notInAlarms: 'a search returns several series and an alarm watches one (CloudWatch refuses alarms on SEARCH)',
    sandbox: false,
  },
  SERVICE_QUOTA: { forms: ['TS -> TS'], sandbox: false },
  SLICE: { forms: ['TS[], S -> TS[]', 'TS[], S, S -> TS[]'], sandbox: false },
  SORT: {
    forms: ['TS[], AVG|MIN|MAX|SUM, ASC|DESC -> TS[]', 'TS[], AVG|MIN|MAX|SUM, ASC|DESC, S -> TS[]'],
    sandbox: false,
  },
  STDDEV: { forms: AGGREGATE, sandbox: true },
  SUM: { forms: AGGREGATE, sandbox: true },
  TIME_SERIES: { forms: ['S -> TS'], sandbox: true },
  YEAR: { forms: TIME_PART, sandbox: true },
};

/** One parameter of a form: the value types and keywords it accepts. */
export interface Parameter {
  types: readonly ValueType[];
  keywords: readonly string[];
  optional: boolean;
}

export interface Form {
  params: readonly Parameter[];
  /** the last parameter repeats */
  variadic: boolean;
  returns: ValueType;
}

const VALUE_TYPES = new Set<string>(['S', 'TS', 'TS[]', 'STR', 'STR[]']);

function parseForm(text: string): Form {
  const [argText, returns] = text.split('->').map((s) => s.trim()) as [string, string];
  const variadic = argText.endsWith('...');
  const params = (variadic ? argText.slice(0, -3) : argText)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((p): Parameter => {
      const optional = p.endsWith('?');
      const alternatives = (optional ? p.slice(0, -1) : p).split('|');
      return {
        types: alternatives.filter((a) => VALUE_TYPES.has(a)) as ValueType[],
        keywords: alternatives.filter((a) => !VALUE_TYPES.has(a)),
        optional,
      };
    });
  return { params, variadic, returns: returns as ValueType };
}

const FORMS = new Map(Object.entries(METRIC_MATH_FUNCTIONS).map(([name, f]) => [name, f.forms.map(parseForm)]));

/** The parsed argument forms of a known function. */
export function formsOf(name: string): readonly Form[] {
  return FORMS.get(name) ?? [];
}

export function isMetricMathFunction(name: string): boolean {
  return Object.hasOwn(METRIC_MATH_FUNCTIONS, name);
}
