// The experiment file format (DESIGN §2) as a zod schema: field shapes only.
// Cross-field rules (references, cycles, durations, stop-condition count…) live in core/experiment/rules/.
import * as z from 'zod';
import { ISO_DURATION_PATTERN } from '../duration.js';
import { DAYS, EXPERIMENT_NAME, PROBE_ID, SELECTION_MODE, TIME_RANGE, VERDICTS } from './patterns.js';

export * from './patterns.js';

export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

/** Shape of an ISO 8601 duration without calendar units; published in the JSON Schema for editors. */
export const ISO_DURATION = ISO_DURATION_PATTERN;

export const IsoDuration = z
  .string()
  .regex(ISO_DURATION, { message: 'must be an ISO 8601 duration such as PT30S, PT5M or PT1H' })
  .describe('ISO 8601 duration, e.g. PT30S, PT5M');

/** IANA time zone, checked against the runtime's zone database. */
export const TimeZone = z
  .string()
  .refine(isIanaZone, { message: 'must be an IANA time zone such as Europe/Berlin or UTC' })
  .describe('IANA time zone, e.g. Europe/Berlin');

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

/** Metric-math ids: CloudWatch requires a lower-case first letter. */

/** The sandbox's fault injector (DESIGN §8): its only resource type, its action ids and their target key. */

/** FIS parameter values are strings; YAML numbers and booleans are accepted and converted. */
export const ParameterValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const Parameters = z.record(z.string(), ParameterValue);

export const Bound = z
  .strictObject({
    max: z.number().optional().describe('upper healthy bound (inclusive)'),
    min: z.number().optional().describe('lower healthy bound (inclusive)'),
  })
  .refine((b) => b.max !== undefined || b.min !== undefined, { message: 'needs max, min or both' })
  .refine((b) => b.max === undefined || b.min === undefined || b.min <= b.max, { message: 'min must be <= max' });
export type Bound = z.infer<typeof Bound>;

/** `{max|min, for}`: out of bounds for `for` consecutive periods (abortWhen, local alarms). */
export const Threshold = z
  .strictObject({
    max: z.number().optional(),
    min: z.number().optional(),
    for: z.number().int().min(1).max(100).default(1).describe('consecutive periods out of bounds'),
  })
  .refine((t) => (t.max === undefined) !== (t.min === undefined), { message: 'needs exactly one of max or min' });
export type Threshold = z.infer<typeof Threshold>;

export const MissingPolicy = z.enum(['zero', 'breach', 'ignore']);
export type MissingPolicy = z.infer<typeof MissingPolicy>;

export const MetricSpec = z.strictObject({
  namespace: z.string().min(1),
  name: z.string().min(1),
  stat: z
    .string()
    .regex(/^(Average|Sum|Minimum|Maximum|SampleCount|IQM|p\d{1,2}(\.\d+)?|tm\d{1,2}|wm\d{1,2}|tc\d{1,2}|ts\d{1,2})$/, {
      message: 'must be a CloudWatch statistic: Average, Sum, Minimum, Maximum, SampleCount or a percentile like p99',
    }),
  dimensions: z.record(z.string(), z.string()).optional(),
  unit: z.string().optional(),
});
export type MetricSpec = z.infer<typeof MetricSpec>;

export const Probe = z
  .strictObject({
    metric: MetricSpec.optional(),
    expression: z.string().min(1).optional().describe('CloudWatch metric math over other probes'),
    label: z.string().optional(),
    unit: z.string().optional().describe('display unit for reports'),
    tolerance: Bound.optional().describe('healthy bounds'),
    missing: MissingPolicy.optional().describe('zero (default for Sum/SampleCount) | breach | ignore'),
  })
  .refine((p) => (p.metric === undefined) !== (p.expression === undefined), {
    message: 'needs exactly one of metric or expression',
  });
export type Probe = z.infer<typeof Probe>;

export const TargetFilter = z.strictObject({ path: z.string().min(1), values: z.array(z.string()).min(1) });

export const Target = z.strictObject({
  // FIS resource types have three parts (aws:ec2:instance); the sandbox's single type is local:instance.
  resourceType: z.string().regex(/^([a-z0-9-]+:[a-z0-9-]+:[a-zA-Z0-9-]+|local:instance)$/, {
    message: 'must be a FIS resource type such as aws:ec2:instance (or local:instance in the sandbox)',
  }),
  resourceArns: z.array(z.string().min(1)).optional(),
  resourceTags: z.record(z.string(), z.string()).optional(),
  filters: z.array(TargetFilter).optional(),
  parameters: Parameters.optional(),
  selectionMode: z.string().regex(SELECTION_MODE, { message: 'must be ALL, COUNT(n) or PERCENT(p)' }),
});
export type Target = z.infer<typeof Target>;

export const Action = z.strictObject({
  actionId: z.string().regex(/^[a-z0-9-]+:[a-z0-9-]+:[a-zA-Z0-9-]+$/, {
    message: 'must be a FIS action id such as aws:ec2:terminate-instances',
  }),
  description: z.string().optional(),
  parameters: Parameters.optional(),
  targets: z.record(z.string(), z.string()).optional(),
  startAfter: z.array(z.string()).optional(),
});
export type Action = z.infer<typeof Action>;

export const ExperimentOptions = z.strictObject({
  accountTargeting: z.enum(['single-account', 'multi-account']).optional(),
  emptyTargetResolutionMode: z.enum(['fail', 'skip']).optional(),
});

export const Template = z.strictObject({
  targets: z.record(z.string(), Target),
  actions: z.record(z.string(), Action),
  stopConditions: z.array(z.string().min(1)).optional().describe('CloudWatch alarm names or ARNs'),
  experimentOptions: ExperimentOptions.optional(),
});
export type Template = z.infer<typeof Template>;

export const Fault = z.strictObject({
  template: Template.optional(),
  templateId: z
    .string()
    .regex(/^EXT[a-zA-Z0-9]{1,61}$/, { message: 'must be an FIS experiment template id (EXT…)' })
    .optional(),
  observe: IsoDuration.optional().describe('the fault phase lasts at least this long (default 5 × period)'),
  maxDuration: IsoDuration.describe('the workflow stops the fault after this'),
});
export type Fault = z.infer<typeof Fault>;

export const Schedule = z.strictObject({
  // Checked by rules/schedule-expression.ts (a cron/rate parser) so the message can say which field is wrong.
  expression: z.string().describe('cron(min hour dom month dow year) or rate(n unit), EventBridge Scheduler syntax'),
  timezone: TimeZone.optional(),
  enabled: z.boolean().optional(),
});

export const Day = z.enum(DAYS);

export const Window = z.strictObject({
  days: z.array(Day).min(1),
  between: z.string().regex(TIME_RANGE, { message: 'must be HH:MM-HH:MM, e.g. "09:30-16:00" or "22:00-02:00"' }),
  timezone: TimeZone,
});
export type Window = z.infer<typeof Window>;

/** YAML 1.2 (the loader's schema) keeps dates as strings, so a date is a string of this shape; that it is a real
 * calendar date, and that `from` ≤ `to`, is the blackout-dates rule's job. */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' });

export const Blackout = z.strictObject({ from: IsoDate, to: IsoDate, reason: z.string().optional() });

export const Guardrails = z.strictObject({
  window: Window.optional(),
  holidays: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, { message: 'must be country[-region], e.g. DE or DE-BE' })
    .optional(),
  blackouts: z.array(Blackout).optional(),
  alarms: z.array(z.string().min(1)).optional(),
  allowInsufficientData: z.boolean().optional(),
  blastRadius: z
    .strictObject({
      maxTargets: z.number().int().min(1).optional(),
      maxPercent: z.number().gt(0).max(100).optional(),
    })
    .optional(),
  approval: z.strictObject({ required: z.boolean(), timeout: IsoDuration.optional() }).optional(),
  abortWhen: z.record(z.string(), Threshold).optional(),
  allowNoStopCondition: z.boolean().optional(),
});
export type Guardrails = z.infer<typeof Guardrails>;

export const SteadyState = z.strictObject({
  baseline: IsoDuration,
  period: IsoDuration,
  ingestionDelay: IsoDuration.optional().describe(
    'how far behind now metrics are complete (default PT3M in AWS, 0 locally)',
  ),
  probes: z
    .record(z.string().regex(PROBE_ID, { message: 'probe names are metric-math ids: ^[a-z][a-zA-Z0-9_]*$' }), Probe)
    .refine((probes) => Object.keys(probes).length > 0, { message: 'needs at least one probe' }),
});
export type SteadyState = z.infer<typeof SteadyState>;

export const Expect = z
  .strictObject({
    during: z.record(z.string(), Bound).optional(),
    recovery: IsoDuration.optional(),
    compare: z
      .strictObject({ test: z.literal('mann-whitney'), alpha: z.number().gt(0).lt(1).default(0.05) })
      .optional(),
  })
  .refine((e) => e.during !== undefined || e.recovery !== undefined || e.compare !== undefined, {
    message: 'needs at least one of during, recovery or compare',
  });
export type Expect = z.infer<typeof Expect>;

/** A sandbox alarm (`local.alarms`): like CloudWatch, out of bounds for `for` consecutive periods → ALARM. */
export const LocalAlarm = z
  .strictObject({
    probe: z.string().describe('the probe this alarm watches'),
    max: z.number().optional(),
    min: z.number().optional(),
    for: z.number().int().min(1).max(100).default(1).describe('consecutive periods out of bounds'),
  })
  .refine((a) => (a.max === undefined) !== (a.min === undefined), { message: 'needs exactly one of max or min' });
export type LocalAlarm = z.infer<typeof LocalAlarm>;

export const Local = z.strictObject({
  instances: z.number().int().min(1).max(20),
  rps: z.number().gt(0).max(500),
  replaceAfter: IsoDuration.optional(),
  serviceLatency: z.number().min(0).max(2000).optional().describe('base service time per request in ms'),
  unhealthy: z.number().int().min(0).optional().describe('instances that start unhealthy (demo of a bad baseline)'),
  alarms: z.record(z.string(), LocalAlarm).optional(),
});
export type Local = z.infer<typeof Local>;

export const Experiment = z.strictObject({
  version: z.literal(1),
  provider: z.enum(['aws', 'local']).optional(),
  name: z.string().regex(EXPERIMENT_NAME, { message: 'must match [a-z0-9-]{3,64}' }),
  description: z.string().min(1),
  owner: z.string().min(1),
  runbook: z.url().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  hypothesis: z.string().min(1),
  local: Local.optional(),
  fault: Fault,
  schedule: Schedule.optional(),
  guardrails: Guardrails.optional(),
  steadyState: SteadyState,
  expect: Expect,
  notify: z.strictObject({ on: z.array(Verdict) }).optional(),
});
export type Experiment = z.infer<typeof Experiment>;
export type ExperimentInput = z.input<typeof Experiment>;
