// The experiment file format (DESIGN §2) as a zod schema: field shapes only.
// Cross-field rules (references, cycles, durations, stop-condition count…) live in core/experiment/rules/.
// zod/mini: the same checks and issues as classic zod at a fifth of the bundle (the Lambda handlers that read
// experiments and templates load it at cold start).
import * as z from 'zod/mini';
import { closestName } from '../did-you-mean.js';
import { durationSeconds, ISO_DURATION_PATTERN } from '../duration.js';
import { DAYS, EXPERIMENT_NAME, PROBE_ID, SELECTION_MODE, STANDARD_UNITS, TIME_RANGE, VERDICTS } from './patterns.js';

export * from './patterns.js';

export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

/** `schema` with a description for the JSON Schema (editors show it on hover). */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description));
}

/** A string matching `pattern`, or `message` (one line naming what is expected). */
function matching(pattern: RegExp, message: string) {
  return z.string().check(z.regex(pattern, { error: message }));
}

const nonEmpty = () => z.string().check(z.minLength(1));

/** Shape of an ISO 8601 duration without calendar units; published in the JSON Schema for editors. */
export const ISO_DURATION = ISO_DURATION_PATTERN;

export const IsoDuration = described(
  matching(ISO_DURATION, 'must be an ISO 8601 duration such as PT30S, PT5M or PT1H'),
  'ISO 8601 duration, e.g. PT30S, PT5M',
);

/** IANA time zone, checked against the runtime's zone database. */
export const TimeZone = described(
  z.string().check(z.refine(isIanaZone, { error: 'must be an IANA time zone such as Europe/Berlin or UTC' })),
  'IANA time zone, e.g. Europe/Berlin',
);

// Building an Intl.DateTimeFormat costs ~0.25 ms; a catalog names a handful of zones many times over.
const zoneChecks = new Map<string, boolean>();

export function isIanaZone(zone: string): boolean {
  const known = zoneChecks.get(zone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    valid = zone.length > 0;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    valid = false;
  }
  if (zoneChecks.size < 1000) zoneChecks.set(zone, valid);
  return valid;
}

/** FIS parameter values are strings; YAML numbers and booleans are accepted and converted. */
export const ParameterValue = z.pipe(
  z.union([z.string(), z.number(), z.boolean()]),
  z.transform((v: string | number | boolean) => String(v)),
);
const Parameters = z.record(z.string(), ParameterValue);

export const Bound = z
  .strictObject({
    max: described(z.optional(z.number()), 'upper healthy bound (inclusive)'),
    min: described(z.optional(z.number()), 'lower healthy bound (inclusive)'),
  })
  .check(
    z.refine((b) => b.max !== undefined || b.min !== undefined, { error: 'needs max, min or both' }),
    z.refine((b) => b.max === undefined || b.min === undefined || b.min <= b.max, { error: 'min must be <= max' }),
  );
export type Bound = z.infer<typeof Bound>;

/** Consecutive periods out of bounds before an alarm fires (1–100, default 1). */
const ForPeriods = () =>
  described(z._default(z.int().check(z.gte(1), z.lte(100)), 1), 'consecutive periods out of bounds');

const exactlyOneOfMaxMin = z.refine<{ max?: number; min?: number }>(
  (t) => (t.max === undefined) !== (t.min === undefined),
  { error: 'needs exactly one of max or min' },
);

/** `{max|min, for}`: out of bounds for `for` consecutive periods (abortWhen, local alarms). */
export const Threshold = z
  .strictObject({ max: z.optional(z.number()), min: z.optional(z.number()), for: ForPeriods() })
  .check(exactlyOneOfMaxMin);
export type Threshold = z.infer<typeof Threshold>;

export const MissingPolicy = z.enum(['zero', 'breach', 'ignore']);
export type MissingPolicy = z.infer<typeof MissingPolicy>;

export const MetricSpec = z.strictObject({
  namespace: nonEmpty(),
  name: nonEmpty(),
  stat: matching(
    /^(Average|Sum|Minimum|Maximum|SampleCount|IQM|p\d{1,2}(\.\d+)?|tm\d{1,2}|wm\d{1,2}|tc\d{1,2}|ts\d{1,2})$/,
    'must be a CloudWatch statistic: Average, Sum, Minimum, Maximum, SampleCount or a percentile like p99',
  ),
  dimensions: z.optional(z.record(z.string(), z.string())),
  unit: described(
    z.optional(z.enum(STANDARD_UNITS, { error: (issue) => unitMessage(issue.input) })),
    'CloudWatch unit of the metric (StandardUnit), e.g. Milliseconds, Count, Percent',
  ),
});

/** Short forms people write for a unit (a probe's display `unit` may use them; a metric's may not). */
const SHORT_UNITS: Readonly<Record<string, string>> = {
  s: 'Seconds',
  ms: 'Milliseconds',
  us: 'Microseconds',
  µs: 'Microseconds',
  '%': 'Percent',
};

/** A unit CloudWatch does not know: the closest one it does, or the list. */
function unitMessage(input: unknown): string {
  const seen = typeof input === 'string' ? JSON.stringify(input) : String(input);
  const close =
    typeof input === 'string'
      ? ((Object.hasOwn(SHORT_UNITS, input) ? SHORT_UNITS[input] : undefined) ?? closestName(input, STANDARD_UNITS))
      : undefined;
  return close
    ? `${seen} is not a CloudWatch unit (did you mean ${close}?)`
    : `${seen} is not a CloudWatch unit; use one of ${STANDARD_UNITS.join(', ')}`;
}
export type MetricSpec = z.infer<typeof MetricSpec>;

export const Probe = z
  .strictObject({
    metric: z.optional(MetricSpec),
    expression: described(z.optional(nonEmpty()), 'CloudWatch metric math over other probes'),
    label: z.optional(z.string()),
    unit: described(z.optional(z.string()), 'display unit for reports'),
    tolerance: described(z.optional(Bound), 'healthy bounds'),
    missing: described(z.optional(MissingPolicy), 'zero (default for Sum/SampleCount) | breach | ignore'),
  })
  .check(
    z.refine((p) => (p.metric === undefined) !== (p.expression === undefined), {
      error: 'needs exactly one of metric or expression',
    }),
  );
export type Probe = z.infer<typeof Probe>;

export const TargetFilter = z.strictObject({ path: nonEmpty(), values: z.array(z.string()).check(z.minLength(1)) });

export const Target = z.strictObject({
  // FIS resource types have three parts (aws:ec2:instance); the sandbox's single type is local:instance.
  resourceType: matching(
    /^([a-z0-9-]+:[a-z0-9-]+:[a-zA-Z0-9-]+|local:instance)$/,
    'must be a FIS resource type such as aws:ec2:instance (or local:instance in the sandbox)',
  ),
  resourceArns: z.optional(z.array(nonEmpty())),
  resourceTags: z.optional(z.record(z.string(), z.string())),
  filters: z.optional(z.array(TargetFilter)),
  parameters: z.optional(Parameters),
  selectionMode: matching(SELECTION_MODE, 'must be ALL, COUNT(n) or PERCENT(p)'),
});
export type Target = z.infer<typeof Target>;

export const Action = z.strictObject({
  actionId: matching(
    /^[a-z0-9-]+:[a-z0-9-]+:[a-zA-Z0-9-]+$/,
    'must be a FIS action id such as aws:ec2:terminate-instances',
  ),
  description: z.optional(z.string()),
  parameters: z.optional(Parameters),
  targets: z.optional(z.record(z.string(), z.string())),
  startAfter: z.optional(z.array(z.string())),
});
export type Action = z.infer<typeof Action>;

export const ExperimentOptions = z.strictObject({
  accountTargeting: z.optional(z.enum(['single-account', 'multi-account'])),
  emptyTargetResolutionMode: z.optional(z.enum(['fail', 'skip'])),
});

export const Template = z.strictObject({
  // FIS takes a template without targets when no action has any (aws:fis:wait, aws:cloudwatch:assert-alarm-state,
  // aws:ssm:start-automation-execution).
  targets: z._default(z.record(z.string(), Target), {}),
  actions: z.record(z.string(), Action),
  stopConditions: described(z.optional(z.array(nonEmpty())), 'CloudWatch alarm names or ARNs'),
  experimentOptions: z.optional(ExperimentOptions),
});
export type Template = z.infer<typeof Template>;

/** A progressive blast radius in one run (DESIGN §9 Ramp): each step replaces `target`'s selectionMode. */
export const Ramp = z.strictObject({
  target: described(nonEmpty(), 'the template target whose selectionMode each step replaces'),
  steps: described(
    z.array(matching(SELECTION_MODE, 'must be ALL, COUNT(n) or PERCENT(p)')).check(z.minLength(2)),
    'selection modes, in order, that grow: e.g. [COUNT(1), PERCENT(25), PERCENT(50)]',
  ),
});
export type Ramp = z.infer<typeof Ramp>;

export const Fault = z.strictObject({
  template: z.optional(Template),
  ramp: z.optional(Ramp),
  templateId: z.optional(matching(/^EXT[a-zA-Z0-9]{1,61}$/, 'must be an FIS experiment template id (EXT…)')),
  observe: described(z.optional(IsoDuration), 'the fault phase lasts at least this long (default 5 × period)'),
  maxDuration: described(IsoDuration, 'the workflow stops the fault after this'),
});
export type Fault = z.infer<typeof Fault>;

export const Schedule = z.strictObject({
  // Checked by rules/schedule-expression.ts (a cron/rate parser) so the message can say which field is wrong.
  expression: described(z.string(), 'cron(min hour dom month dow year) or rate(n unit), EventBridge Scheduler syntax'),
  timezone: z.optional(TimeZone),
  enabled: z.optional(z.boolean()),
});

export const Day = z.enum(DAYS);

export const Window = z.strictObject({
  days: z.array(Day).check(z.minLength(1)),
  between: matching(TIME_RANGE, 'must be HH:MM-HH:MM, e.g. "09:30-16:00" or "22:00-02:00"'),
  timezone: TimeZone,
});
export type Window = z.infer<typeof Window>;

/** YAML 1.2 (the loader's schema) keeps dates as strings, so a date is a string of this shape; that it is a real
 * calendar date, and that `from` ≤ `to`, is the blackout-dates rule's job. */
const IsoDate = matching(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const Blackout = z.strictObject({ from: IsoDate, to: IsoDate, reason: z.optional(z.string()) });

/** A run this experiment depends on (environment promotion, DESIGN §9): `experiment` ended with `verdict` within
 * `within` before the run starts. That `experiment` is in the catalog is checked when a catalog is validated. */
export const Requirement = z.strictObject({
  experiment: matching(EXPERIMENT_NAME, 'must be an experiment name matching [a-z0-9-]{3,64}'),
  verdict: Verdict,
  within: described(
    IsoDuration.check(
      z.refine((d) => !ISO_DURATION.test(d) || durationSeconds(d) > 0, {
        error: 'must be a positive duration such as P7D or PT12H',
      }),
    ),
    'the required run ended at most this long ago (ISO 8601, days allowed: P7D)',
  ),
});
export type Requirement = z.infer<typeof Requirement>;

export const Guardrails = z.strictObject({
  window: z.optional(Window),
  holidays: z.optional(matching(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be country[-region], e.g. DE or DE-BE')),
  blackouts: z.optional(z.array(Blackout)),
  alarms: z.optional(z.array(nonEmpty())),
  allowInsufficientData: z.optional(z.boolean()),
  blastRadius: z.optional(
    z.strictObject({
      maxTargets: z.optional(z.int().check(z.gte(1))),
      maxPercent: z.optional(z.number().check(z.gt(0), z.lte(100))),
      uncounted: described(
        z.optional(z.array(nonEmpty())),
        'targets whose pool AWS APIs cannot count (e.g. aws:eks:pod): they run without a blast-radius count',
      ),
    }),
  ),
  approval: z.optional(z.strictObject({ required: z.boolean(), timeout: z.optional(IsoDuration) })),
  abortWhen: z.optional(z.record(z.string(), Threshold)),
  allowNoStopCondition: z.optional(z.boolean()),
  requires: described(
    z.optional(z.array(Requirement)),
    'runs of other experiments that must have ended with a verdict recently (e.g. staging before production)',
  ),
  changeCalendar: described(
    z.optional(nonEmpty()),
    'AWS only: the SSM Change Calendar (name or ARN) that must be OPEN, read at Preflight and InjectFault',
  ),
  deployments: z.optional(
    z.strictObject({
      stacks: described(
        z.array(nonEmpty()).check(z.minLength(1)),
        'AWS only: CloudFormation stack names; a stack *_IN_PROGRESS refuses the run',
      ),
    }),
  ),
});
export type Guardrails = z.infer<typeof Guardrails>;

export const SteadyState = z.strictObject({
  baseline: IsoDuration,
  period: IsoDuration,
  ingestionDelay: described(
    z.optional(IsoDuration),
    'how far behind now metrics are complete (default PT3M in AWS, 0 locally)',
  ),
  probes: z
    .record(matching(PROBE_ID, 'probe names are metric-math ids: ^[a-z][a-zA-Z0-9_]*$'), Probe)
    .check(z.refine((probes) => Object.keys(probes).length > 0, { error: 'needs at least one probe' })),
});
export type SteadyState = z.infer<typeof SteadyState>;

/** `expect.detect` (DESIGN §9): the system's own monitoring must notice the fault; the alarms only observe. */
export const Detect = z.strictObject({
  alarms: described(
    z.array(nonEmpty()).check(z.minLength(1, { error: 'needs at least one alarm name' })),
    'CloudWatch alarm names (local: local.alarms); the first to go to ALARM after the fault started detects it',
  ),
  within: described(IsoDuration, 'the fault must be detected this long after it started (at most fault.maxDuration)'),
});
export type Detect = z.infer<typeof Detect>;

export const Expect = z
  .strictObject({
    during: z.optional(z.record(z.string(), Bound)),
    recovery: z.optional(IsoDuration),
    compare: z.optional(
      z.strictObject({
        test: z.literal('mann-whitney'),
        alpha: z._default(z.number().check(z.gt(0), z.lt(1)), 0.05),
      }),
    ),
    detect: z.optional(Detect),
  })
  .check(
    z.refine(
      (e) => e.during !== undefined || e.recovery !== undefined || e.compare !== undefined || e.detect !== undefined,
      {
        error: 'needs at least one of during, recovery, compare or detect',
      },
    ),
  );
export type Expect = z.infer<typeof Expect>;

/** A sandbox alarm (`local.alarms`): like CloudWatch, out of bounds for `for` consecutive periods → ALARM. */
export const LocalAlarm = z
  .strictObject({
    probe: described(z.string(), 'the probe this alarm watches'),
    max: z.optional(z.number()),
    min: z.optional(z.number()),
    for: ForPeriods(),
  })
  .check(exactlyOneOfMaxMin);
export type LocalAlarm = z.infer<typeof LocalAlarm>;

export const Local = z.strictObject({
  instances: z.int().check(z.gte(1), z.lte(20)),
  rps: z.number().check(z.gt(0), z.lte(500)),
  replaceAfter: z.optional(IsoDuration),
  serviceLatency: described(z.optional(z.number().check(z.gte(0), z.lte(2000))), 'base service time per request in ms'),
  unhealthy: described(z.optional(z.int().check(z.gte(0))), 'instances that start unhealthy (demo of a bad baseline)'),
  alarms: z.optional(z.record(z.string(), LocalAlarm)),
});
export type Local = z.infer<typeof Local>;

export const Experiment = z.strictObject({
  version: z.literal(1),
  provider: z.optional(z.enum(['aws', 'local'])),
  name: matching(EXPERIMENT_NAME, 'must match [a-z0-9-]{3,64}'),
  description: nonEmpty(),
  owner: nonEmpty(),
  runbook: z.optional(z.url()),
  tags: z.optional(z.record(z.string(), z.string())),
  hypothesis: nonEmpty(),
  local: z.optional(Local),
  fault: Fault,
  schedule: z.optional(Schedule),
  guardrails: z.optional(Guardrails),
  steadyState: SteadyState,
  expect: Expect,
  notify: z.optional(z.strictObject({ on: z.array(Verdict) })),
});
export type Experiment = z.infer<typeof Experiment>;
export type ExperimentInput = z.input<typeof Experiment>;
