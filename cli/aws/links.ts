// Links a person can open: the Step Functions console for an execution and the S3 console for a result object.
// Console links need no presigning, so they never expire and never carry credentials.
import { parseS3Uri } from '../../functions/aws/s3-uri.js';

const EXECUTION_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):execution:([^:]+):([^:]+)$/;

export interface ExecutionArn {
  partition: string;
  region: string;
  account: string;
  stateMachine: string;
  /** the execution name, which is the run id */
  name: string;
}

export function parseExecutionArn(arn: string): ExecutionArn | undefined {
  const match = EXECUTION_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, stateMachine, name] = match as unknown as [string, ...string[]];
  return {
    partition: partition as string,
    region: region as string,
    account: account as string,
    stateMachine: stateMachine as string,
    name: name as string,
  };
}

/** `arn:…:stateMachine:<sm>` + run id → `arn:…:execution:<sm>:<runId>` (a standard workflow's execution ARN). */
export function executionArnFor(stateMachineArn: string, runId: string): string {
  if (!/:stateMachine:[^:]+$/.test(stateMachineArn)) {
    throw new RangeError(`"${stateMachineArn}" is not a state machine ARN`);
  }
  return `${stateMachineArn.replace(/:stateMachine:/, ':execution:')}:${runId}`;
}

export function executionConsoleUrl(executionArn: string, region = parseExecutionArn(executionArn)?.region): string {
  if (!region) throw new RangeError(`"${executionArn}" is not an execution ARN`);
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** `s3://bucket/key` → the S3 console page of that object. */
export function s3ConsoleUrl(uri: string, region: string): string {
  const { bucket, key } = parseS3Uri(uri);
  return `https://s3.console.aws.amazon.com/s3/object/${encodeURIComponent(bucket)}?region=${region}&prefix=${encodeURIComponent(key)}`;
}
