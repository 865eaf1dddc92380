import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newRunId, runOnAwsWith, triggerFor } from '../../../../cli/aws/run.js';
import { UserError } from '../../../../cli/errors.js';
import { ExecutionInput } from '../../../../core/steps/plan.js';
import { awsError, BUCKET, mockedAws, REGION, STATE_MACHINE_ARN } from './harness.js';

const passed = readFileSync(new URL('../../../fixtures/results/passed.json', import.meta.url), 'utf8');
const RUN_ID = '20260310T100000-abc123';
const EXECUTION_ARN = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${RUN_ID}`;
const RESULT_URI = `s3://${BUCKET}/runs/local-instance-loss/2026/03/10/${RUN_ID}/result.json`;
const REPORT_URI = RESULT_URI.replace('result.json', 'report.html');

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (s: string) => {
      out.stdout += s;
    },
    stderr: (s: string) => {
      out.stderr += s;
    },
  };
  return { out, io };
}

const noWait = { pollMs: 5000, sleep: async () => {} };

function event(id: number, type: string, details: Partial<HistoryEvent>): HistoryEvent {
  return { id, type, timestamp: new Date(Date.UTC(2026, 2, 10, 10, 0, id)), ...details } as HistoryEvent;
}
const entered = (id: number, name: string, input = '{}') =>
  event(id, 'TaskStateEntered', { stateEnteredEventDetails: { name, input } });
const exited = (id: number, name: string, output: unknown) =>
  event(id, 'TaskStateExited', { stateExitedEventDetails: { name, output: JSON.stringify(output) } });

const published = { verdict: 'PASSED', resultUri: RESULT_URI, reportUri: REPORT_URI, notified: true, allowed: true };
const HISTORY: HistoryEvent[] = [
  event(1, 'ExecutionStarted', {}),
  entered(2, 'Load'),
  entered(3, 'Preflight'),
  exited(4, 'Preflight', {
    preflight: {
      ok: true,
      checks: [{ name: 'killSwitch', ok: true, message: 'kill switch SSM /shaketable/halt is off' }],
    },
  }),
  entered(5, 'Baseline'),
  exited(6, 'Baseline', { baseline: { held: true, reasons: [] } }),
  entered(7, 'InjectFault'),
  exited(8, 'InjectFault', { fault: { experimentId: 'EXP123', status: 'completed' } }),
  event(9, 'WaitStateEntered', {
    stateEnteredEventDetails: { name: 'WaitForRecovery', input: JSON.stringify({ fault: { waitSeconds: 480 } }) },
  }),
  entered(10, 'Observe'),
  entered(11, 'Evaluate'),
  entered(12, 'Publish'),
  exited(13, 'Publish', { published }),
];

/** History as Step Functions pages it with reverseOrder: newest first, `visible` events so far, 4 per page. */
function pagedHistory(visible: () => number) {
  return (input: { nextToken?: string; reverseOrder?: boolean }) => {
    const all = HISTORY.slice(0, visible()).reverse();
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const page = all.slice(start, start + 4);
    return { events: page, ...(start + 4 < all.length ? { nextToken: String(start + 4) } : {}) };
  };
}

describe('runOnAws', () => {
  let aws: ReturnType<typeof mockedAws>;
  let dir: string;
  beforeEach(() => {
    aws = mockedAws();
    aws.mocks.ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: '{"templateId":"EXT1","compiledAlarms":[]}' } });
    aws.mocks.sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: EXECUTION_ARN, startDate: new Date('2026-03-10T10:00:00Z') });
    aws.mocks.sfn
      .on(DescribeStateMachineCommand)
      .resolves({ definition: JSON.stringify({ TimeoutSeconds: 3600 }) } as never);
    aws.mocks.s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => passed } } as never);
    dir = mkdtempSync(join(tmpdir(), 'shaketable-run-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the stack state machine with the run id as execution name and exactly the execution input', async () => {
    const { io, out } = capture();
    const code = await runOnAwsWith(
      aws.session,
      'checkout-instance-loss',
      { region: REGION, trigger: 'manual', allow: ['DEGRADED'] },
      io,
      noWait,
    );
    expect(code).toBe(0);
    const [call] = aws.mocks.sfn.commandCalls(StartExecutionCommand);
    const input = call?.args[0].input;
    expect(input?.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(input?.name).toMatch(/^20260310T100000-[0-9a-f]{6}$/);
    expect(JSON.parse(input?.input ?? '')).toEqual({
      experiment: 'checkout-instance-loss',
      trigger: 'manual',
      gate: false,
      allow: ['DEGRADED'],
      dryRun: false,
    });
    // The Load step's own schema accepts it as it is.
    expect(ExecutionInput.safeParse(JSON.parse(input?.input ?? '')).success).toBe(true);
    expect(aws.mocks.cloudFormation.calls()[0]?.args[0].input).toEqual({ StackName: 'Shaketable' });
    expect(aws.mocks.ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/shaketable/catalog/checkout-instance-loss',
    });
    expect(out.stdout).toContain(`execution  ${EXECUTION_ARN}`);
    expect(out.stdout).toContain(
      `https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}#/v2/executions/details/${EXECUTION_ARN}`,
    );
    expect(aws.mocks.sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });

  it('marks pipeline runs as such and gates them, and dry runs as dry runs', async () => {
    const { io } = capture();
    await runOnAwsWith(
      aws.session,
      'checkout-instance-loss',
      { trigger: triggerFor(false, { CI: 'true' }), dryRun: true },
      io,
      noWait,
    );
    expect(JSON.parse(aws.mocks.sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '')).toEqual({
      experiment: 'checkout-instance-loss',
      trigger: 'pipeline',
      gate: true,
      allow: [],
      dryRun: true,
    });
    expect(triggerFor(true, {})).toBe('pipeline');
    expect(triggerFor(false, {})).toBe('manual');
  });

  it('names runs <yyyymmddThhmmss>-<6 hex> in UTC', () => {
    expect(newRunId(new Date('2026-12-31T23:59:58.900Z'), () => '0a1b2c')).toBe('20261231T235958-0a1b2c');
    expect(newRunId(new Date())).toMatch(/^\d{8}T\d{6}-[0-9a-f]{6}$/);
  });

  it('with --wait follows the execution phase by phase, reads result.json and exits per the verdict', async () => {
    let polls = 0;
    aws.mocks.sfn.on(DescribeExecutionCommand).callsFake(() => {
      polls++;
      return polls < 2
        ? { status: 'RUNNING', startDate: new Date() }
        : { status: 'SUCCEEDED', output: JSON.stringify({ published }), outputDetails: { included: true } };
    });
    aws.mocks.sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => (polls < 2 ? 6 : HISTORY.length)));
    const sleeps: number[] = [];
    const { io, out } = capture();
    // $GITHUB_STEP_SUMMARY is shared by the job's steps: an earlier step's summary is already there.
    writeFileSync(join(dir, 'summary.md'), '## Build\n\nok\n');
    const code = await runOnAwsWith(
      aws.session,
      'local-instance-loss',
      { wait: true, junit: join(dir, 'out/junit.xml'), summary: join(dir, 'summary.md') },
      io,
      { pollMs: 5000, sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(code).toBe(0);
    expect(sleeps).toEqual([5000]);
    const phases = out.stdout
      .split('\n')
      .filter((l) => /^ {2}\d\d:\d\d:\d\dZ {2}/.test(l))
      .map((l) => l.split(' — ')[0]?.trim().split(/\s+/)[1]);
    expect(phases).toEqual([
      'Load',
      'Preflight',
      'Baseline',
      'InjectFault',
      'WaitForRecovery',
      'Observe',
      'Evaluate',
      'Publish',
    ]);
    expect(out.stdout).toContain('✓ kill switch SSM /shaketable/halt is off');
    expect(out.stdout).toContain('waiting 480 s for recovery and metric ingestion');
    expect(out.stdout).toContain('fault EXP123: completed');
    expect(out.stdout).toContain('verdict  PASSED');
    expect(out.stdout).toContain(`report   ${REPORT_URI}`);
    expect(out.stdout).toContain(`https://s3.console.aws.amazon.com/s3/object/${BUCKET}?region=${REGION}&prefix=`);
    expect(aws.mocks.s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: `runs/local-instance-loss/2026/03/10/${RUN_ID}/result.json`,
    });
    // Each history read stops at the events already seen: no event is printed twice.
    expect(out.stdout.match(/Preflight —/g)).toHaveLength(1);
    expect(aws.mocks.sfn.commandCalls(GetExecutionHistoryCommand)[0]?.args[0].input).toMatchObject({
      reverseOrder: true,
      includeExecutionData: true,
    });
    expect(readFileSync(join(dir, 'out/junit.xml'), 'utf8')).toContain('<testsuites name="shaketable"');
    // appended after the earlier step's, which is kept
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(
      /^## Build\n\nok\n\n### 🟢 PASSED · local-instance-loss\n/,
    );
  });

  it('finds the result of a gated run that ended in a Fail state in its Publish output, and exits 0 when allowed', async () => {
    const degraded = { ...JSON.parse(passed), verdict: 'DEGRADED', reasons: ['latency_p99 breached'] };
    aws.mocks.s3
      .on(GetObjectCommand)
      .resolves({ Body: { transformToString: async () => JSON.stringify(degraded) } } as never);
    aws.mocks.sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', error: 'Shaketable.VerdictNotAllowed' } as never);
    aws.mocks.sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => HISTORY.length));
    const { io } = capture();
    expect(await runOnAwsWith(aws.session, 'local-instance-loss', { wait: true }, io, noWait)).toBe(1);
    expect(
      await runOnAwsWith(aws.session, 'local-instance-loss', { wait: true, allow: ['DEGRADED'] }, io, noWait),
    ).toBe(0);
  });

  it('prints progress on stderr and one JSON document on stdout with --json', async () => {
    aws.mocks.sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'SUCCEEDED', output: JSON.stringify({ published }) } as never);
    aws.mocks.sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => HISTORY.length));
    const { io, out } = capture();
    await runOnAwsWith(aws.session, 'local-instance-loss', { wait: true, json: true }, io, noWait);
    expect(JSON.parse(out.stdout)).toMatchObject({
      verdict: 'PASSED',
      status: 'SUCCEEDED',
      resultUri: RESULT_URI,
      reportUri: REPORT_URI,
    });
    expect(out.stderr).toContain('Preflight —');
  });

  it('reports a run the workflow refused (InvalidInput) with its run id and the Load error, exit 5 (never 2 once started)', async () => {
    aws.mocks.sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', error: 'Shaketable.InvalidInput' } as never);
    aws.mocks.sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        event(3, 'LambdaFunctionFailed', {
          lambdaFunctionFailedEventDetails: {
            error: 'Shaketable.InvalidInput',
            cause: JSON.stringify({
              errorType: 'Shaketable.InvalidInput',
              errorMessage: 'execution input: experiment "x" is not in the deployed catalog',
            }),
          },
        }),
        entered(2, 'Load'),
        event(1, 'ExecutionStarted', {}),
      ],
    });
    aws.mocks.dynamodb.on(GetCommand).resolves({});
    const { io, out } = capture();
    expect(await runOnAwsWith(aws.session, 'local-instance-loss', { wait: true }, io, noWait)).toBe(5);
    expect(out.stderr).toMatch(
      /error: run \S+ was started, but following it failed: Error: the workflow refused run \S+: execution input: experiment "x" is not in the deployed catalog; it goes on in AWS: npx shaketable status /,
    );
  });

  it('exits 5 with the run id, and still writes the JUnit and summary files, when AWS refuses a call after StartExecution', async () => {
    aws.mocks.sfn
      .on(DescribeStateMachineCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: states:DescribeStateMachine',
        ),
      );
    const { io, out } = capture();
    const junit = join(dir, 'junit.xml');
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '## Build\n\nok\n');
    const code = await runOnAwsWith(aws.session, 'local-instance-loss', { wait: true, junit, summary }, io, noWait);
    expect(code).toBe(5);
    const runId = /started local-instance-loss as run (\S+)/.exec(out.stdout)?.[1];
    expect(runId).toMatch(/^\d{8}T\d{6}-[0-9a-f]{6}$/);
    expect(out.stderr).toContain(
      `error: run ${runId} was started, but following it failed: AWS denied access: User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: states:DescribeStateMachine`,
    );
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(`<property name="runId" value="${runId}"/>`);
    expect(xml).toMatch(/<error message="no verdict: AWS denied access[^"]*" type="NoResult">/);
    expect(readFileSync(summary, 'utf8')).toContain(`Run \`${runId}\` started, but its result could not be read`);
    expect(readFileSync(summary, 'utf8')).toMatch(/^## Build\n\nok\n\n### ❔ no verdict · local-instance-loss\n/);
  });

  it('exits 4 when the execution ended without a result, saying what happened', async () => {
    aws.mocks.sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'ABORTED', error: 'States.Aborted', cause: 'stopped in the console' } as never);
    aws.mocks.sfn.on(GetExecutionHistoryCommand).resolves({ events: [event(1, 'ExecutionStarted', {})] });
    aws.mocks.dynamodb.on(GetCommand).resolves({ Item: { pk: 'run#x', sk: 'run', runId: 'x', status: 'RUNNING' } });
    const { io, out } = capture();
    expect(await runOnAwsWith(aws.session, 'local-instance-loss', { wait: true }, io, noWait)).toBe(4);
    expect(out.stderr).toMatch(
      /^error: execution ABORTED \(States.Aborted: stopped in the console\) and no result was written yet/,
    );
    expect(aws.mocks.dynamodb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'Shaketable-Runs',
    });
  });

  it("gives up once the execution outlives the state machine's own timeout", async () => {
    let now = Date.parse('2026-03-10T10:00:00Z');
    aws.clock.now = () => new Date(now);
    aws.mocks.sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' } as never);
    aws.mocks.sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const { io, out } = capture();
    const sleep = async (ms: number) => {
      now += ms * 60; // each poll, time runs an hour ahead: two polls exceed 3600 s
    };
    expect(await runOnAwsWith(aws.session, 'local-instance-loss', { wait: true }, io, { pollMs: 60_000, sleep })).toBe(
      5,
    );
    expect(out.stderr).toMatch(/was started, but following it failed: Shaketable\.\w+: /);
    expect(aws.mocks.sfn.commandCalls(DescribeStateMachineCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
    });
  });

  it('refuses files, bad names, outputs without --wait and undeployed experiments before starting anything', async () => {
    const { io } = capture();
    await expect(runOnAwsWith(aws.session, 'experiments/x.yaml', {}, io, noWait)).rejects.toThrow(/add --local/);
    await expect(runOnAwsWith(aws.session, 'Bad_Name', {}, io, noWait)).rejects.toBeInstanceOf(UserError);
    await expect(runOnAwsWith(aws.session, 'checkout-instance-loss', { junit: 'j.xml' }, io, noWait)).rejects.toThrow(
      /need --wait/,
    );
    aws.mocks.ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
    await expect(runOnAwsWith(aws.session, 'checkout-instance-loss', {}, io, noWait)).rejects.toThrow(
      /"checkout-instance-loss" is not deployed with stack Shaketable in eu-central-1 \(no SSM parameter \/shaketable\/catalog\/checkout-instance-loss\)/,
    );
    expect(aws.mocks.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
