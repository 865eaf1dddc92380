// The Lambda environment, validated once per container at cold start: a missing variable fails the cold start with
// its name, not a later `undefined`. wiring.ts builds each adapter and its SDK client from it, once per container.
import * as z from 'zod/mini';

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

/** What each variable must look like, as the error names it. */
const expected = (what: string) => ({ error: `expected ${what}` });

const ENV = z.object({
  AWS_REGION: z.string().check(z.minLength(1, expected('a region'))),
  RESULTS_BUCKET: z.string().check(z.minLength(3, expected('a bucket name'))),
  TOPIC_ARN: z.string().check(z.startsWith('arn:', expected('an SNS topic ARN (arn:…)'))),
  RUN_TABLE: z.string().check(z.minLength(3, expected('a table name'))),
  HALT_PARAMETER: z._default(
    z.string().check(z.startsWith('/', expected('an SSM parameter name starting with /'))),
    '/shaketable/halt',
  ),
  CATALOG_PREFIX: z._default(
    z.string().check(z.startsWith('/', expected('an SSM path starting with /'))),
    '/shaketable/catalog',
  ),
  INGESTION_DELAY_SECONDS: z.pipe(
    z._default(z.string().check(z.regex(/^\d+$/, expected('a whole number of seconds ≥ 0'))), '180'),
    z.transform(Number),
  ),
});

/** One or more environment variables are missing or malformed; the message names every one of them. */
export class EnvironmentError extends Error {
  override readonly name = 'Shaketable.Environment';
  constructor(readonly problems: string[]) {
    super(`invalid Lambda environment: ${problems.join('; ')}`);
  }
}

/** Validates the environment (default `process.env`); throws EnvironmentError naming each bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): ShaketableEnv {
  const parsed = z.safeParse(ENV, source);
  if (parsed.success) return parsed.data;
  throw new EnvironmentError(
    parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0]);
      const value = source[variable];
      return value === undefined ? `${variable} is not set` : `${variable}: ${issue.message}, got "${value}"`;
    }),
  );
}
