// The Lambda environment, validated once per container at cold start: a missing variable fails the cold start with
// its name, not a later `undefined`. wiring.ts builds each adapter and its SDK client from it, once per container.
import { z } from 'zod';

/** The environment every shaketable Lambda function receives (set by the ExperimentWorkflow construct). */
export const ShaketableEnv = z.object({
  AWS_REGION: z.string().min(1).describe('set by the Lambda runtime'),
  RESULTS_BUCKET: z.string().min(3).describe('S3 bucket for result.json and report.html'),
  TOPIC_ARN: z.string().startsWith('arn:').describe('SNS topic for verdict notifications'),
  RUN_TABLE: z.string().min(3).describe('DynamoDB run table (locks, task tokens, run history)'),
  HALT_PARAMETER: z.string().startsWith('/').default('/shaketable/halt').describe('SSM kill-switch parameter'),
  CATALOG_PREFIX: z
    .string()
    .startsWith('/')
    .default('/shaketable/catalog')
    .describe('SSM prefix of the deploy-time ids, one parameter per experiment'),
  INGESTION_DELAY_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(180)
    .describe('how far behind now CloudWatch data is complete; only used for the DataNotReady fallback'),
});
export type ShaketableEnv = z.infer<typeof ShaketableEnv>;

/** One or more environment variables are missing or malformed; the message names every one of them. */
export class EnvironmentError extends Error {
  override readonly name = 'Shaketable.Environment';
  constructor(readonly problems: string[]) {
    super(`invalid Lambda environment: ${problems.join('; ')}`);
  }
}

/** Validates the environment (default `process.env`); throws EnvironmentError naming each bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): ShaketableEnv {
  const parsed = ShaketableEnv.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.');
    return source[variable] === undefined ? `${variable} is not set` : `${variable}: ${issue.message}`;
  });
  throw new EnvironmentError(problems);
}
