// Mocked AWS clients behind a real AwsSession, and an in-process commander program for the AWS commands, so tests
// assert the exact SDK commands sent and the exit code, stdout and stderr a user would see.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { FisClient } from '@aws-sdk/client-fis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { Command } from 'commander';
import type { AwsOptions, SessionFactory } from '../../../../cli/aws/options.js';
import { type AwsClients, AwsSession } from '../../../../cli/aws/session.js';
import { reportError } from '../../../../cli/errors.js';
import type { CliContext } from '../../../../cli/main.js';

export const REGION = 'eu-central-1';
export const ACCOUNT = '123456789012';
export const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:ShaketableWorkflow`;
export const BUCKET = 'shaketable-results-123456789012';
export const TABLE = 'Shaketable-Runs';
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:shaketable`;

export function stackOutputs(overrides: Record<string, string> = {}) {
  const values: Record<string, string> = {
    StateMachineArn: STATE_MACHINE_ARN,
    ResultsBucketName: BUCKET,
    TopicArn: TOPIC_ARN,
    RunTableName: TABLE,
    ...overrides,
  };
  return {
    Stacks: [
      {
        StackName: 'Shaketable',
        StackStatus: 'UPDATE_COMPLETE' as const,
        CreationTime: new Date('2026-01-01T00:00:00Z'),
        Outputs: Object.entries(values).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  };
}

export function mockedAws(now = new Date('2026-03-10T10:00:00Z')) {
  const clients: AwsClients = {
    cloudFormation: new CloudFormationClient({ region: REGION }),
    sfn: new SFNClient({ region: REGION }),
    s3: new S3Client({ region: REGION }),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient({ region: REGION })),
    ssm: new SSMClient({ region: REGION }),
    fis: new FisClient({ region: REGION }),
    cloudWatch: new CloudWatchClient({ region: REGION }),
    sts: new STSClient({ region: REGION }),
    ec2: new EC2Client({ region: REGION }),
    ecs: new ECSClient({ region: REGION }),
    rds: new RDSClient({ region: REGION }),
    lambda: new LambdaClient({ region: REGION }),
    tagging: new ResourceGroupsTaggingAPIClient({ region: REGION }),
  };
  const mocks = {
    cloudFormation: mockClient(clients.cloudFormation),
    sfn: mockClient(clients.sfn),
    s3: mockClient(clients.s3),
    dynamodb: mockClient(clients.dynamodb),
    ssm: mockClient(clients.ssm),
    fis: mockClient(clients.fis),
    cloudWatch: mockClient(clients.cloudWatch),
    sts: mockClient(clients.sts),
    ec2: mockClient(clients.ec2),
  };
  mocks.cloudFormation.on(DescribeStacksCommand).resolves(stackOutputs());
  const clock = { now: () => now };
  const sessions: SessionFactory = (options: AwsOptions) => new AwsSession(options, clients, clock);
  return { clients, mocks, clock, sessions, session: new AwsSession({ region: REGION }, clients, clock) };
}

export type Register = (program: Command, context: CliContext, sessions: SessionFactory) => void;

/** Runs `argv` through a program holding only `registers`, configured as cli/main.ts configures its own. */
export async function runCommand(
  registers: readonly Register[],
  argv: readonly string[],
  sessions: SessionFactory,
  cwd = process.cwd(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (s: string) => {
      stdout += s;
    },
    stderr: (s: string) => {
      stderr += s;
    },
  };
  const context: CliContext = { io, cwd, exitCode: 0 };
  const program = new Command('shaketable')
    .option('--debug')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of registers) register(program, context, sessions);
  let code: number;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    code = context.exitCode;
  } catch (error) {
    code = reportError(error, io, false);
  }
  return { code, stdout, stderr };
}

/** An AWS SDK service error, as the SDK builds it (the name is what code checks). */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}
