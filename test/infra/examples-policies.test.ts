// The examples' IAM policies are part of the product (examples/): each is simulated (iam-simulate) against every AWS
// call the commands it runs make. For the GitHub Actions job, the calls are recorded from `shaketable run --wait`
// itself (the CLI against mocked SDK clients), so a new call in the CLI fails this test until the policy allows it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { runOnAwsWith } from '../../cli/aws/run.js';
import { stateMachineNameOf } from '../../infra/constructs/experiment-workflow.js';
import { ACCOUNT, mockedAws, REGION, stackOutputs } from '../unit/cli/aws/harness.js';
import { iamActionOf } from './handler-calls.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
const policy = (file: string) => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as unknown;

// The names the deployed stack has: its state machine's fixed name, and the names CloudFormation generates for the
// results bucket and run table (<stack>-<logical id>-<suffix>; S3 lower-cases them).
const STACK = 'Shaketable';
const STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${stateMachineNameOf(STACK)}`;
const BUCKET = 'shaketable-resultsbucketa95a2103-1x9k2m3n4p5q';
const TABLE = 'Shaketable-ResultsRunTable5C2E4E0A-1X9K2M3N4P5Q';
const RUN_ID = '20260310T100000-abc123';
const EXECUTION = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${stateMachineNameOf(STACK)}:${RUN_ID}`;
const RESULT_URI = `s3://${BUCKET}/runs/checkout-instance-loss/2026/03/10/${RUN_ID}/result.json`;

const MODULES: Record<string, string> = {
  cloudFormation: '@aws-sdk/client-cloudformation',
  sfn: '@aws-sdk/client-sfn',
  s3: '@aws-sdk/client-s3',
  dynamodb: '@aws-sdk/lib-dynamodb',
  ssm: '@aws-sdk/client-ssm',
  fis: '@aws-sdk/client-fis',
  cloudWatch: '@aws-sdk/client-cloudwatch',
  sts: '@aws-sdk/client-sts',
  ec2: '@aws-sdk/client-ec2',
};

interface Request {
  action: string;
  resource: string;
}

/** The IAM request one recorded SDK command makes: its action, and the resource named in its input. */
function requestOf(mock: string, command: { constructor: { name: string }; input: Record<string, string> }): Request {
  const action = iamActionOf({ module: MODULES[mock]!, command: command.constructor.name });
  const input = command.input;
  const resource: Record<string, () => string> = {
    'cloudformation:DescribeStacks': () =>
      `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${input.StackName}/0a1b2c3d`,
    'ssm:GetParameter': () => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${input.Name}`,
    'states:StartExecution': () => input.stateMachineArn!,
    'states:DescribeStateMachine': () => input.stateMachineArn!,
    'states:DescribeExecution': () => input.executionArn!,
    'states:GetExecutionHistory': () => input.executionArn!,
    's3:GetObject': () => `arn:aws:s3:::${input.Bucket}/${input.Key}`,
    'dynamodb:GetItem': () => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${input.TableName}`,
  };
  const of = resource[action];
  if (of === undefined)
    throw new Error(`the CLI now calls ${action}: map its resource here and allow it in the examples`);
  return { action, resource: of() };
}

/** `shaketable run <experiment> --wait` against mocked AWS, ending `how`; every SDK command it sent. */
async function recordRunWait(how: 'result' | 'no-result'): Promise<Request[]> {
  const aws = mockedAws();
  aws.mocks.cloudFormation
    .on(DescribeStacksCommand)
    .resolves(stackOutputs({ StateMachineArn: STATE_MACHINE, ResultsBucketName: BUCKET, RunTableName: TABLE }));
  aws.mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{"templateId":"EXT1","compiledAlarms":[]}' } });
  aws.mocks.sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
  aws.mocks.sfn.on(DescribeStateMachineCommand).resolves({ definition: '{"TimeoutSeconds":3600}' } as never);
  aws.mocks.sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
  if (how === 'result') {
    const published = { verdict: 'PASSED', resultUri: RESULT_URI, notified: true, allowed: true };
    aws.mocks.sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'SUCCEEDED', output: JSON.stringify({ published }) } as never);
    const passed = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'results', 'passed.json'), 'utf8');
    aws.mocks.s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => passed } } as never);
  } else {
    aws.mocks.sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED', error: 'States.Aborted' } as never);
    aws.mocks.dynamodb.on(GetCommand).resolves({});
  }
  const io = { stdout: () => {}, stderr: () => {} };
  await runOnAwsWith(aws.session, 'checkout-instance-loss', { wait: true }, io, { pollMs: 1, sleep: async () => {} });
  return Object.entries(aws.mocks).flatMap(([name, mock]) =>
    mock.calls().map((call) => requestOf(name, call.args[0] as never)),
  );
}

async function simulate(document: unknown, request: Request): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/shaketable-ci`,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: { 'aws:SecureTransport': 'true' },
      },
      identityPolicies: [{ name: 'example', policy: document }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  return result.resultType === 'error' ? `error: ${JSON.stringify(result.errors)}` : result.overallResult;
}

async function denied(document: unknown, requests: Request[]): Promise<string[]> {
  const out: string[] = [];
  for (const request of requests) {
    const outcome = await simulate(document, request);
    if (outcome !== 'Allowed') out.push(`${request.action} on ${request.resource} → ${outcome}`);
  }
  return out;
}

describe('examples/github-actions-role-policy.json', () => {
  const document = policy('github-actions-role-policy.json');

  it('allows every call of `shaketable run --wait` that ends with a result', async () => {
    const requests = await recordRunWait('result');
    expect(requests.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'cloudformation:DescribeStacks',
        'ssm:GetParameter',
        'states:StartExecution',
        'states:DescribeStateMachine',
        'states:DescribeExecution',
        'states:GetExecutionHistory',
        's3:GetObject',
      ]),
    );
    expect(await denied(document, requests)).toEqual([]);
  });

  it('allows every call of `shaketable run --wait` that ends without one (the run table is read)', async () => {
    const requests = await recordRunWait('no-result');
    expect(requests.map((r) => r.action)).toContain('dynamodb:GetItem');
    expect(await denied(document, requests)).toEqual([]);
  });

  it('is what the job uses, and allows nothing beyond the stack (the simulation can fail)', async () => {
    const workflow = readFileSync(join(EXAMPLES, 'github-actions-chaos-stage.yml'), 'utf8');
    expect(workflow).toContain('github-actions-role-policy.json');
    expect(workflow).toContain('npx shaketable run "$EXPERIMENT"');
    expect(workflow).toContain('--wait');
    expect(
      await denied(document, [
        { action: 'fis:StartExperiment', resource: `arn:aws:fis:${REGION}:${ACCOUNT}:experiment-template/EXT1` },
        { action: 'states:StartExecution', resource: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Other` },
        { action: 'ssm:GetParameter', resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/shaketable/halt` },
      ]),
    ).toHaveLength(3);
  });
});

describe('examples/codepipeline-role-policy.json', () => {
  // CodePipeline's Step Functions invoke action starts the execution and polls it until it ends
  // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html).
  const stage = JSON.parse(readFileSync(join(EXAMPLES, 'codepipeline-chaos-stage.json'), 'utf8')) as {
    Actions: Array<{ Configuration: { ExecutionNamePrefix: string } }>;
  };
  const prefix = stage.Actions[0]!.Configuration.ExecutionNamePrefix;

  it('allows the calls the stage’s Step Functions action makes, on this stack’s state machine', async () => {
    const execution = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${stateMachineNameOf(STACK)}:${prefix}-0f1e2d3c`;
    expect(
      await denied(policy('codepipeline-role-policy.json'), [
        { action: 'states:StartExecution', resource: STATE_MACHINE },
        { action: 'states:DescribeExecution', resource: execution },
      ]),
    ).toEqual([]);
  });
});
