// Public on-demand prices, us-east-1, in USD, without free tiers (a run's cost should not depend on
// what else the account does). Checked against the pages linked beside each constant.

/** Step Functions Standard: $0.025 per 1,000 state transitions. https://aws.amazon.com/step-functions/pricing/ */
export const STEP_FUNCTIONS_PER_TRANSITION = 0.025 / 1000;

/** Lambda on Arm (the stack's functions are ARM64): $0.0000133334 per GB-second. https://aws.amazon.com/lambda/pricing/ */
export const LAMBDA_ARM_PER_GB_SECOND = 0.0000133334;

/** Lambda requests: $0.20 per 1M. https://aws.amazon.com/lambda/pricing/ */
export const LAMBDA_PER_REQUEST = 0.2 / 1_000_000;

/** CloudWatch GetMetricData: $0.01 per 1,000 metrics requested. https://aws.amazon.com/cloudwatch/pricing/ */
export const CLOUDWATCH_GET_METRIC_DATA_PER_METRIC = 0.01 / 1000;

/** CloudWatch standard-resolution alarm: $0.10 per alarm metric per month (metric math: per metric in the expression). https://aws.amazon.com/cloudwatch/pricing/ */
export const CLOUDWATCH_ALARM_STANDARD_PER_METRIC_MONTH = 0.1;

/** CloudWatch high-resolution (10/30 s) alarm: $0.30 per alarm metric per month. https://aws.amazon.com/cloudwatch/pricing/ */
export const CLOUDWATCH_ALARM_HIGH_RESOLUTION_PER_METRIC_MONTH = 0.3;

/** SNS standard topic publish: $0.50 per 1M requests. https://aws.amazon.com/sns/pricing/ */
export const SNS_PER_PUBLISH = 0.5 / 1_000_000;

/** S3 Standard PUT/COPY/POST/LIST: $0.005 per 1,000 requests. https://aws.amazon.com/s3/pricing/ */
export const S3_PER_PUT = 0.005 / 1000;

/** DynamoDB on-demand: $0.625 per 1M write request units (since November 2024). https://aws.amazon.com/dynamodb/pricing/on-demand/ */
export const DYNAMODB_PER_WRITE_UNIT = 0.625 / 1_000_000;

/** DynamoDB on-demand: $0.125 per 1M read request units. https://aws.amazon.com/dynamodb/pricing/on-demand/ */
export const DYNAMODB_PER_READ_UNIT = 0.125 / 1_000_000;

/** AWS FIS: $0.10 per action-minute. https://aws.amazon.com/fis/pricing/ */
export const FIS_PER_ACTION_MINUTE = 0.1;

/** EventBridge Scheduler: $1.00 per 1M invocations. https://aws.amazon.com/eventbridge/pricing/ */
export const SCHEDULER_PER_INVOCATION = 1 / 1_000_000;

/** Average days per month (365.2425 / 12), for monthly figures. */
export const DAYS_PER_MONTH = 365.2425 / 12;
