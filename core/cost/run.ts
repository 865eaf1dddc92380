// What one run costs, from the counts the workflow observed. The fault itself (FIS action-minutes)
// is reported apart: it is the price of the experiment, not of the orchestration.
import {
  CLOUDWATCH_GET_METRIC_DATA_PER_METRIC,
  DYNAMODB_PER_READ_UNIT,
  DYNAMODB_PER_WRITE_UNIT,
  FIS_PER_ACTION_MINUTE,
  LAMBDA_ARM_PER_GB_SECOND,
  LAMBDA_PER_REQUEST,
  S3_PER_PUT,
  SNS_PER_PUBLISH,
  STEP_FUNCTIONS_PER_TRANSITION,
} from './prices.js';

export interface RunUsage {
  stateTransitions: number;
  lambda: { gbSeconds: number; requests: number };
  /** metrics requested across every GetMetricData call (each query of each call counts) */
  getMetricDataMetrics: number;
  snsPublishes: number;
  s3Puts: number;
  dynamoDbWriteUnits: number;
  dynamoDbReadUnits?: number;
  fisActionMinutes: number;
}

export interface RunCost {
  /** orchestration: Step Functions, Lambda, CloudWatch reads, SNS, S3, DynamoDB */
  runUsd: number;
  /** the fault: FIS action-minutes */
  faultUsd: number;
  breakdown: {
    stepFunctions: number;
    lambda: number;
    getMetricData: number;
    sns: number;
    s3: number;
    dynamoDb: number;
    fis: number;
  };
}

/** Raised on a negative or non-finite count: a cost cannot be estimated from it. */
export class CostInputError extends Error {
  override readonly name = 'Shaketable.CostInput';
}

function count(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new CostInputError(`${name} must be a finite count ≥ 0, got ${value}`);
  return value;
}

export function estimateRunCost(usage: RunUsage): RunCost {
  const breakdown = {
    stepFunctions: count('stateTransitions', usage.stateTransitions) * STEP_FUNCTIONS_PER_TRANSITION,
    lambda:
      count('lambda.gbSeconds', usage.lambda.gbSeconds) * LAMBDA_ARM_PER_GB_SECOND +
      count('lambda.requests', usage.lambda.requests) * LAMBDA_PER_REQUEST,
    getMetricData: count('getMetricDataMetrics', usage.getMetricDataMetrics) * CLOUDWATCH_GET_METRIC_DATA_PER_METRIC,
    sns: count('snsPublishes', usage.snsPublishes) * SNS_PER_PUBLISH,
    s3: count('s3Puts', usage.s3Puts) * S3_PER_PUT,
    dynamoDb:
      count('dynamoDbWriteUnits', usage.dynamoDbWriteUnits) * DYNAMODB_PER_WRITE_UNIT +
      count('dynamoDbReadUnits', usage.dynamoDbReadUnits ?? 0) * DYNAMODB_PER_READ_UNIT,
    fis: count('fisActionMinutes', usage.fisActionMinutes) * FIS_PER_ACTION_MINUTE,
  };
  const { fis, ...orchestration } = breakdown;
  return { runUsd: Object.values(orchestration).reduce((a, b) => a + b, 0), faultUsd: fis, breakdown };
}

/** GB-seconds of Lambda invocations (billed per millisecond of duration, rounded up). */
export function lambdaGbSeconds(invocations: ReadonlyArray<{ memoryMb: number; durationMs: number }>): number {
  return invocations.reduce(
    (sum, i) => sum + (count('memoryMb', i.memoryMb) / 1024) * (Math.ceil(count('durationMs', i.durationMs)) / 1000),
    0,
  );
}

/** FIS action-minutes of actions that ran from start to end (epoch ms): each action's duration "rounded to the nearest minute" (FIS pricing page). */
export function fisActionMinutes(actions: ReadonlyArray<{ start: number; end: number }>): number {
  return actions.reduce((sum, a) => sum + Math.round(count('action duration', a.end - a.start) / 60_000), 0);
}
