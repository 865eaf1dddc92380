// Names, patterns and enumerations of the experiment file, apart from schema.ts so code that only needs them
// (expressions, windows, selection modes, the Lambda handlers) does not bundle zod.

/** The verdicts of DESIGN §3, in no particular order. */
export const VERDICTS = ['PASSED', 'DEGRADED', 'FAILED', 'SKIPPED', 'INCONCLUSIVE', 'ERROR'] as const;

/** Metric-math ids: CloudWatch requires a lower-case first letter. */
export const PROBE_ID = /^[a-z][a-zA-Z0-9_]*$/;
export const EXPERIMENT_NAME = /^[a-z0-9-]{3,64}$/;
export const SELECTION_MODE = /^(ALL|COUNT\((\d+)\)|PERCENT\((\d+(?:\.\d+)?)\))$/;

/** The sandbox's resource type, fault actions and the target key they take. */
export const LOCAL_RESOURCE_TYPE = 'local:instance';
export const LOCAL_ACTION_IDS = ['local:instance:terminate', 'local:network:latency', 'local:http:errors'] as const;
export const LOCAL_TARGET_KEY = 'Instances';

export const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export const TIME_RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** The `aws:fis:wait` action the CDK adds to every catalog template, so the experiment lasts `observe`. */
export const OBSERVE_ACTION = 'shaketable-observe';

/** The three phases of a run, in order (result.json, reports). */
export const PHASES = ['baseline', 'fault', 'recovery'] as const;
export type PhaseName = (typeof PHASES)[number];

/**
 * CloudWatch's StandardUnit enumeration: the only values GetMetricData and PutMetricAlarm accept as a metric's
 * unit (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html).
 */
export const STANDARD_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;
export type StandardUnit = (typeof STANDARD_UNITS)[number];
