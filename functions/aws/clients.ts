// The Lambda environment, validated once per container at cold start: a missing variable fails the cold start with
// its name, not a later `undefined`. wiring.ts builds each adapter and its SDK client from it, once per container.
/** The environment every shaketable Lambda function receives (set by the ExperimentWorkflow construct). */
export interface ShaketableEnv {
  /** set by the Lambda runtime */
  AWS_REGION: string;
  /** S3 bucket for result.json and report.html */
  RESULTS_BUCKET: string;
  /** SNS topic for verdict notifications */
  TOPIC_ARN: string;
  /** DynamoDB run table (locks, task tokens, run history) */
  RUN_TABLE: string;
  /** SSM kill-switch parameter */
  HALT_PARAMETER: string;
  /** SSM prefix of the deploy-time ids, one parameter per experiment */
  CATALOG_PREFIX: string;
  /** how far behind now CloudWatch data is complete; only used for the DataNotReady fallback */
  INGESTION_DELAY_SECONDS: number;
}

// Checked by hand rather than with zod: every handler loads this at cold start, and zod would add ~90 KB to each
// bundle that needs no other schema.
type Rule = { check: (value: string) => boolean; expected: string; fallback?: string };
const RULES: Record<keyof ShaketableEnv, Rule> = {
  AWS_REGION: { check: (v) => v.length > 0, expected: 'a region' },
  RESULTS_BUCKET: { check: (v) => v.length >= 3, expected: 'a bucket name' },
  TOPIC_ARN: { check: (v) => v.startsWith('arn:'), expected: 'an SNS topic ARN (arn:…)' },
  RUN_TABLE: { check: (v) => v.length >= 3, expected: 'a table name' },
  HALT_PARAMETER: {
    check: (v) => v.startsWith('/'),
    expected: 'an SSM parameter name starting with /',
    fallback: '/shaketable/halt',
  },
  CATALOG_PREFIX: {
    check: (v) => v.startsWith('/'),
    expected: 'an SSM path starting with /',
    fallback: '/shaketable/catalog',
  },
  INGESTION_DELAY_SECONDS: {
    check: (v) => /^\d+$/.test(v),
    expected: 'a whole number of seconds ≥ 0',
    fallback: '180',
  },
};

/** One or more environment variables are missing or malformed; the message names every one of them. */
export class EnvironmentError extends Error {
  override readonly name = 'Shaketable.Environment';
  constructor(readonly problems: string[]) {
    super(`invalid Lambda environment: ${problems.join('; ')}`);
  }
}

/** Validates the environment (default `process.env`); throws EnvironmentError naming each bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): ShaketableEnv {
  const problems: string[] = [];
  const values: Record<string, string> = {};
  for (const [variable, rule] of Object.entries(RULES)) {
    const value = source[variable] ?? rule.fallback;
    if (value === undefined) problems.push(`${variable} is not set`);
    else if (!rule.check(value)) problems.push(`${variable}: expected ${rule.expected}, got "${value}"`);
    else values[variable] = value;
  }
  if (problems.length) throw new EnvironmentError(problems);
  return {
    ...(values as Omit<ShaketableEnv, 'INGESTION_DELAY_SECONDS'>),
    INGESTION_DELAY_SECONDS: Number(values.INGESTION_DELAY_SECONDS),
  };
}
