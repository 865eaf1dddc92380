// The console against a deployed stack, with mocked AWS clients behind a real AwsSession and the real server on
// loopback: what it reads (stack outputs, SSM kill switch, run table, S3 results) and the exact commands its
// actions send (StartExecution with the run id it announced, SSM PutParameter for halt, SendTaskFailure to reject).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogItem, ConsoleState, LiveEvent, LiveSummary } from '../../../cli/console/api.js';
import { AwsBackend } from '../../../cli/console/aws-backend.js';
import { type ConsoleServer, startConsoleServer } from '../../../cli/console/server.js';
import { awsError, BUCKET, mockedAws, STATE_MACHINE_ARN } from './aws/harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const passed = readFileSync(new URL('../../fixtures/results/passed.json', import.meta.url), 'utf8');
const EXPERIMENT = 'checkout-instance-loss';

let aws: ReturnType<typeof mockedAws>;
let server: ConsoleServer;
let backend: AwsBackend;
let warnings: string[];

function call<T>(path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'x-shaketable-token': server.token,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as T }));
}

function history(resultUri: string): HistoryEvent[] {
  const at = (id: number) => new Date(Date.UTC(2026, 2, 10, 10, 0, id));
  const entered = (id: number, name: string): HistoryEvent => ({
    id,
    type: 'TaskStateEntered',
    timestamp: at(id),
    stateEnteredEventDetails: { name, input: '{}' },
  });
  const published = { verdict: 'PASSED', resultUri, reportUri: resultUri.replace('result.json', 'report.html') };
  return [
    { id: 1, type: 'ExecutionStarted', timestamp: at(1) },
    entered(2, 'Load'),
    entered(3, 'Preflight'),
    entered(4, 'Baseline'),
    entered(5, 'InjectFault'),
    entered(6, 'Observe'),
    entered(7, 'Evaluate'),
    entered(8, 'Publish'),
    {
      id: 9,
      type: 'TaskStateExited',
      timestamp: at(9),
      stateExitedEventDetails: { name: 'Publish', output: JSON.stringify({ published }) },
    },
  ];
}

beforeEach(async () => {
  aws = mockedAws();
  warnings = [];
  aws.mocks.ssm.on(GetParameterCommand, { Name: '/shaketable/halt' }).rejects(awsError('ParameterNotFound'));
  aws.mocks.ssm
    .on(GetParameterCommand, { Name: `/shaketable/catalog/${EXPERIMENT}` })
    .resolves({ Parameter: { Value: '{"templateId":"EXT1","compiledAlarms":[]}' } });
  aws.mocks.dynamodb.on(QueryCommand).resolves({ Items: [] });
  aws.mocks.dynamodb.on(ScanCommand).resolves({ Items: [] });
  backend = await AwsBackend.withSession(aws.session, ROOT, (line) => warnings.push(line), 1);
  server = await startConsoleServer(backend);
});

afterEach(async () => {
  await server.stop();
});

describe('shaketable console on AWS', () => {
  it('names the stack it found and reads the kill switch from SSM', async () => {
    const { status, body } = await call<ConsoleState>('/api/state');
    expect(status).toBe(200);
    expect(body).toEqual({
      side: 'aws',
      where: 'stack Shaketable in eu-central-1',
      killSwitch: { on: false },
      can: { approve: true, ack: true },
    });
  });

  it('lists the deployed catalog (experiments/*.yaml) with schedules and the last run from the run table', async () => {
    aws.mocks.dynamodb.on(ScanCommand).resolves({
      Items: [
        {
          pk: 'run#20260309T100000-aaaaaa',
          sk: 'run',
          runId: '20260309T100000-aaaaaa',
          experiment: EXPERIMENT,
          status: 'DONE',
          verdict: 'DEGRADED',
          startedAt: '2026-03-09T10:00:00Z',
          endedAt: '2026-03-09T10:12:00Z',
        },
      ],
    });
    const { status, body } = await call<CatalogItem[]>('/api/catalog');
    expect(status).toBe(200);
    const item = body.find((i) => i.name === EXPERIMENT);
    // The harness clock says Tuesday 2026-03-10 10:00 UTC (11:00 in Berlin): the next run is Wednesday 10:00 CET.
    expect(item?.schedule).toEqual({
      expression: 'cron(0 10 ? * TUE-THU *)',
      timezone: 'Europe/Berlin',
      enabled: true,
      next: '2026-03-11T09:00:00.000Z',
    });
    expect(item?.lastRun).toEqual({
      runId: '20260309T100000-aaaaaa',
      status: 'DONE',
      verdict: 'DEGRADED',
      startedAt: '2026-03-09T10:00:00Z',
    });
    expect(item?.recent).toEqual(['DEGRADED']);
    expect(body.every((i) => !i.file.startsWith('experiments/local/'))).toBe(true);
  });

  it('starts the execution under the run id it announced and follows it to the verdict read from S3', async () => {
    let runId = '';
    const resultUri = () => `s3://${BUCKET}/runs/${EXPERIMENT}/2026/03/10/${runId}/result.json`;
    aws.mocks.sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      runId = input.name;
      return {
        executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${input.name}`,
        startDate: new Date(),
      };
    });
    aws.mocks.sfn
      .on(DescribeStateMachineCommand)
      .resolves({ definition: JSON.stringify({ TimeoutSeconds: 3600 }) } as never);
    aws.mocks.sfn.on(DescribeExecutionCommand).callsFake(() => ({
      status: 'SUCCEEDED',
      output: JSON.stringify({ published: { verdict: 'PASSED', resultUri: resultUri() } }),
    }));
    aws.mocks.sfn.on(GetExecutionHistoryCommand).callsFake(() => ({ events: history(resultUri()).reverse() }));
    aws.mocks.dynamodb.on(GetCommand).callsFake(() => ({
      Item: {
        runId,
        experiment: EXPERIMENT,
        status: 'DONE',
        startedAt: '2026-03-10T10:00:00Z',
        resultUri: resultUri(),
      },
    }));
    aws.mocks.s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => passed } } as never);

    const started = await call<LiveSummary>('/api/runs', { experiment: EXPERIMENT, dryRun: true });
    expect(started.status).toBe(202);
    expect(started.body.runId).toBe(runId);
    expect(JSON.parse(aws.mocks.sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '')).toEqual({
      experiment: EXPERIMENT,
      trigger: 'manual',
      gate: false,
      allow: [],
      dryRun: true,
    });
    const live = backend.live(runId);
    await live?.done;
    const events = live?.events ?? [];
    expect(events.filter((e) => e.kind === 'phase').map((e) => (e as { state: string }).state)).toEqual([
      'Load',
      'Preflight',
      'Baseline',
      'InjectFault',
      'Observe',
      'Evaluate',
      'Publish',
    ]);
    expect(events.at(-1)).toMatchObject({ kind: 'verdict', verdict: 'PASSED', runId } satisfies Partial<LiveEvent>);

    const report = await fetch(`http://127.0.0.1:${server.port}/api/runs/${runId}/report?token=${server.token}`);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('data-verdict="PASSED"');
  });

  it('halts through SSM and the run table as shaketable halt does, and rejects a waiting run', async () => {
    const halted = await call<{ message: string }>('/api/halt', { reason: 'incident 4711' });
    expect(halted.status).toBe(200);
    expect(halted.body.message).toContain('kill switch ON (SSM /shaketable/halt): incident 4711');
    const put = aws.mocks.ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(put?.Name).toBe('/shaketable/halt');
    expect(JSON.parse(put?.Value ?? '')).toMatchObject({ on: true, reason: 'incident 4711' });

    aws.mocks.dynamodb.on(GetCommand).resolves({
      Item: {
        runId: '20260310T100000-bbbbbb',
        experiment: EXPERIMENT,
        status: 'RUNNING',
        startedAt: '2026-03-10T10:00:00Z',
        approvalToken: 'token-1',
      },
    });
    aws.mocks.sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:iam::123456789012:user/ops' });
    aws.mocks.sfn.on(SendTaskFailureCommand).resolves({});
    const rejected = await call<{ message: string }>('/api/runs/20260310T100000-bbbbbb/reject', { reason: 'freeze' });
    expect(rejected.status).toBe(200);
    expect(aws.mocks.sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toMatchObject({
      taskToken: 'token-1',
      error: 'Shaketable.ApprovalRejected',
    });
    expect(rejected.body.message).toBe(
      'rejected run 20260310T100000-bbbbbb (checkout-instance-loss) as arn:aws:iam::123456789012:user/ops: freeze',
    );
  });

  it('answers a refused AWS call with one readable line', async () => {
    aws.mocks.ssm.on(GetParameterCommand, { Name: '/shaketable/halt' }).rejects(awsError('AccessDeniedException'));
    const { status, body } = await call<{ error: string }>('/api/state');
    expect(status).toBeGreaterThanOrEqual(400);
    expect(body.error).not.toContain('\n');
    expect(body.error).toMatch(/AccessDenied|access denied|not allowed/i);
  });
});
