import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetExperimentCommand, ListExperimentsCommand, StopExperimentCommand } from '@aws-sdk/client-fis';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerApproveCommand, registerRejectCommand } from '../../../../cli/commands/approve.js';
import { registerHaltCommand } from '../../../../cli/commands/halt.js';
import { registerHistoryCommand } from '../../../../cli/commands/history.js';
import { registerPreflightCommand } from '../../../../cli/commands/preflight.js';
import { registerResumeCommand } from '../../../../cli/commands/resume.js';
import { registerStatusCommand } from '../../../../cli/commands/status.js';
import { awsError, mockedAws, REGION, type Register, runCommand, STATE_MACHINE_ARN, TABLE } from './harness.js';

const ALL: Register[] = [
  registerStatusCommand,
  registerHistoryCommand,
  registerPreflightCommand,
  registerHaltCommand,
  registerResumeCommand,
  registerApproveCommand,
  registerRejectCommand,
];
const RUN_ID = '20260310T100000-abc123';
const EXECUTION_ARN = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${RUN_ID}`;

let aws: ReturnType<typeof mockedAws>;
const run = (...argv: string[]) => runCommand(ALL, [...argv, '--region', REGION], aws.sessions);
beforeEach(() => {
  aws = mockedAws();
});

describe('status', () => {
  it('shows a running run from its execution and run record, with its current state and approval hint', async () => {
    aws.mocks.sfn.on(DescribeExecutionCommand).resolves({
      status: 'RUNNING',
      startDate: new Date('2026-03-10T10:00:00Z'),
      input: JSON.stringify({ experiment: 'checkout-instance-loss' }),
    } as never);
    aws.mocks.sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 9, type: 'TaskScheduled' } as never,
        { id: 8, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Approval' } } as never,
      ],
    });
    aws.mocks.dynamodb.on(GetCommand).resolves({
      Item: {
        pk: `run#${RUN_ID}`,
        sk: 'run',
        runId: RUN_ID,
        experiment: 'checkout-instance-loss',
        status: 'RUNNING',
        startedAt: '2026-03-10T10:00:00.000Z',
        approvalToken: 'secret-token',
        trigger: 'manual',
      },
    });
    const { code, stdout } = await run('status', RUN_ID);
    expect(code).toBe(0);
    expect(aws.mocks.sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: EXECUTION_ARN,
    });
    expect(aws.mocks.dynamodb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      TableName: TABLE,
      Key: { pk: `run#${RUN_ID}`, sk: 'run' },
    });
    expect(stdout).toContain('execution  RUNNING — in Approval');
    expect(stdout).toContain(`approval   waiting: npx shaketable approve ${RUN_ID}`);
    expect(stdout).not.toContain('secret-token');
  });

  it('accepts an execution ARN and prints JSON with the verdict and the report link', async () => {
    aws.mocks.sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'SUCCEEDED', startDate: new Date(), stopDate: new Date() } as never);
    aws.mocks.dynamodb.on(GetCommand).resolves({
      Item: {
        runId: RUN_ID,
        experiment: 'checkout-instance-loss',
        status: 'DONE',
        startedAt: '2026-03-10T10:00:00Z',
        endedAt: '2026-03-10T10:21:30Z',
        verdict: 'PASSED',
        reportUri: 's3://b/runs/x/report.html',
      },
    });
    const { code, stdout } = await run('status', EXECUTION_ARN, '--json');
    expect(code).toBe(0);
    const status = JSON.parse(stdout);
    expect(status).toMatchObject({
      runId: RUN_ID,
      executionStatus: 'SUCCEEDED',
      verdict: 'PASSED',
      durationSeconds: 1290,
      waitingForApproval: false,
    });
    expect(status.reportUrl).toBe(
      `https://s3.console.aws.amazon.com/s3/object/b?region=${REGION}&prefix=runs%2Fx%2Freport.html`,
    );
    expect(aws.mocks.sfn.commandCalls(GetExecutionHistoryCommand)).toHaveLength(0);
  });

  it('exits 2 with one line for a run that exists nowhere', async () => {
    aws.mocks.sfn.on(DescribeExecutionCommand).rejects(awsError('ExecutionDoesNotExist'));
    aws.mocks.dynamodb.on(GetCommand).resolves({});
    const { code, stderr } = await run('status', 'nope-1');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: no run nope-1 in stack Shaketable (eu-central-1): list runs with npx shaketable history <experiment>\n',
    );
  });
});

describe('history', () => {
  it('lists runs newest first from the byExperiment index with verdict, duration and report link', async () => {
    aws.mocks.dynamodb.on(QueryCommand).resolves({
      Items: [
        { runId: 'r2', experiment: 'checkout-instance-loss', status: 'RUNNING', startedAt: '2026-03-11T10:00:00Z' },
        {
          runId: 'r1',
          experiment: 'checkout-instance-loss',
          status: 'DONE',
          startedAt: '2026-03-10T10:00:00Z',
          endedAt: '2026-03-10T10:12:00Z',
          verdict: 'DEGRADED',
          reportUri: 's3://b/runs/r1/report.html',
        },
      ],
    });
    const { code, stdout } = await run('history', 'checkout-instance-loss', '--limit', '5');
    expect(code).toBe(0);
    expect(aws.mocks.dynamodb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: TABLE,
      IndexName: 'byExperiment',
      ExpressionAttributeValues: { ':experiment': 'checkout-instance-loss' },
      ScanIndexForward: false,
    });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN ID\s+STARTED\s+VERDICT\s+DURATION\s+REPORT$/);
    expect(lines[1]).toMatch(/^r2\s+2026-03-11T10:00:00Z\s+running\s+—\s+—$/);
    expect(lines[2]).toMatch(
      /^r1\s+2026-03-10T10:00:00Z\s+DEGRADED\s+12 min\s+https:\/\/s3\.console\.aws\.amazon\.com\/s3\/object\/b\?/,
    );
  });

  it('prints JSON with --json and refuses a bad --limit with exit 2', async () => {
    aws.mocks.dynamodb.on(QueryCommand).resolves({ Items: [] });
    const json = await run('history', 'checkout-instance-loss', '--json');
    expect(JSON.parse(json.stdout)).toEqual([]);
    const bad = await run('history', 'checkout-instance-loss', '--limit', 'many');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --limit: "many" is not a whole number from 1 to 1000\n');
  });
});

describe('preflight', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'shaketable-preflight-'));
    mkdirSync(join(cwd, 'experiments/local'), { recursive: true });
    const source = new URL('../../../../experiments/', import.meta.url);
    writeFileSync(
      join(cwd, 'experiments/checkout-instance-loss.yaml'),
      readFileSync(new URL('checkout-instance-loss.yaml', source)),
    );
    writeFileSync(
      join(cwd, 'experiments/local/local-instance-loss.yaml'),
      readFileSync(new URL('local/local-instance-loss.yaml', source)),
    );
    aws.mocks.ssm.on(GetParameterCommand, { Name: '/shaketable/halt' }).rejects(awsError('ParameterNotFound'));
    aws.mocks.ssm.on(GetParameterCommand, { Name: '/shaketable/catalog/checkout-instance-loss' }).resolves({
      Parameter: { Value: JSON.stringify({ compiledAlarms: ['shaketable-checkout-instance-loss-errors'] }) },
    });
    aws.mocks.cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: ['checkout-5xx-high', 'checkout-latency-high', 'shaketable-checkout-instance-loss-errors'].map(
        (AlarmName) => ({ AlarmName, StateValue: 'OK' }),
      ),
    });
    aws.mocks.ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          OwnerId: '123456789012',
          Instances: ['i-1', 'i-2', 'i-3'].map((InstanceId) => ({
            InstanceId,
            State: { Name: 'running' },
            Tags: [
              { Key: 'app', Value: 'checkout' },
              { Key: 'env', Value: 'staging' },
            ],
          })),
        },
      ],
    } as never);
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));
  const preflight = (...argv: string[]) =>
    runCommand(ALL, ['preflight', ...argv, '--region', REGION], aws.sessions, cwd);

  it('runs every guardrail check against AWS, takes no lock, records nothing and exits 0 when all pass', async () => {
    const { code, stdout, stderr } = await preflight('checkout-instance-loss');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('✓ killSwitch: off');
    expect(stdout).toContain(
      '✓ blastRadius: would hit 1 of 3 aws:ec2:instance (33.3%), within maxTargets 1 and maxPercent 50%',
    );
    expect(stdout).toContain('all 6 checks passed');
    expect(aws.mocks.cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input.AlarmNames).toEqual([
      'checkout-5xx-high',
      'checkout-latency-high',
      'shaketable-checkout-instance-loss-errors',
    ]);
    expect(aws.mocks.dynamodb.calls()).toHaveLength(0);
    expect(aws.mocks.sfn.calls()).toHaveLength(0);
    expect(aws.mocks.cloudFormation.calls()).toHaveLength(0);
  });

  it('exits 3 and marks the refusing check when a guardrail refuses, as JSON too', async () => {
    aws.mocks.ssm
      .on(GetParameterCommand, { Name: '/shaketable/halt' })
      .resolves({ Parameter: { Value: '{"on":true,"reason":"incident"}' } });
    const text = await preflight('checkout-instance-loss');
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/✗ killSwitch: on/);
    expect(text.stdout).toContain('1 of 6 checks refused: a run started now would be SKIPPED');
    const json = await preflight('checkout-instance-loss', '--json');
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ experiment: 'checkout-instance-loss', ok: false });
  });

  it('checks an edited, undeployed file as written against the live account, saying what comes from where', async () => {
    aws.mocks.ssm
      .on(GetParameterCommand, { Name: '/shaketable/catalog/checkout-instance-loss' })
      .rejects(awsError('ParameterNotFound'));
    const file = 'experiments/checkout-instance-loss.yaml';
    const text = readFileSync(join(cwd, file), 'utf8');
    writeFileSync(join(cwd, file), text.replace('checkout-latency-high', 'cart-latency-high'));
    const { code, stdout, stderr } = await preflight(file);
    expect(stderr).toBe('');
    expect(code).toBe(3); // cart-latency-high does not exist in the account (DescribeAlarms does not return it)
    expect(stdout).toContain(
      `  from ${file}: guardrails (window, holidays, blackouts), alarms and blast radius, as written now\n`,
    );
    expect(stdout).toContain(
      '  not deployed yet: its 1 abortWhen alarm(s) are created by npx cdk deploy and were not checked\n',
    );
    expect(aws.mocks.cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input.AlarmNames).toEqual([
      'checkout-5xx-high',
      'cart-latency-high',
    ]);
    expect(aws.mocks.ec2.commandCalls(DescribeInstancesCommand).length).toBeGreaterThan(0);
    const json = JSON.parse((await preflight(file, '--json')).stdout);
    expect(json.sources).toEqual({ file, deployed: false, compiledAlarms: 0, undeployedAbortWhen: 1 });
  });

  it('says the compiled abortWhen alarms come from the deployed catalog when the file is deployed', async () => {
    const { stdout } = await preflight('experiments/checkout-instance-loss.yaml');
    expect(stdout).toContain('  from the deployed catalog: 1 compiled abortWhen alarm(s) and the template id\n');
  });

  it('refuses an undeployed experiment and a local one with exit 2 and one line', async () => {
    aws.mocks.ssm
      .on(GetParameterCommand, { Name: '/shaketable/catalog/checkout-instance-loss' })
      .rejects(awsError('ParameterNotFound'));
    const undeployed = await preflight('checkout-instance-loss');
    expect(undeployed.code).toBe(2);
    expect(undeployed.stderr).toMatch(
      /^error: experiment "checkout-instance-loss" is not deployed \(no SSM parameter \/shaketable\/catalog\/checkout-instance-loss\)[^\n]*\n$/,
    );
    const local = await preflight('local-instance-loss');
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/is a local experiment; run it with npx shaketable run .* --local\n$/);
  });
});

describe('halt', () => {
  beforeEach(() => {
    aws.mocks.ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
  });

  it('turns the kill switch on, then for each running fault writes stopCause halt BEFORE StopExperiment', async () => {
    const log: string[] = [];
    aws.mocks.ssm.on(PutParameterCommand).callsFake((input) => {
      log.push(`put ${input.Name}`);
      return {};
    });
    aws.mocks.dynamodb.on(QueryCommand).resolves({
      Items: [
        {
          runId: 'r-running',
          experiment: 'a',
          status: 'RUNNING',
          startedAt: '2026-03-10T10:00:00Z',
          fisExperimentId: 'EXP1',
        },
        {
          runId: 'r-ended',
          experiment: 'b',
          status: 'RUNNING',
          startedAt: '2026-03-10T09:00:00Z',
          fisExperimentId: 'EXP2',
        },
        // InjectFault stored its task token, then died before recording the fault: the run tag finds it
        {
          runId: 'r-untracked',
          experiment: 'c',
          status: 'RUNNING',
          startedAt: '2026-03-10T08:00:00Z',
          taskToken: 'token-c',
        },
      ],
    });
    aws.mocks.dynamodb.on(UpdateCommand).callsFake((input) => {
      log.push(`update ${input.Key.pk} ${JSON.stringify(input.ExpressionAttributeValues)}`);
      return {};
    });
    const experiment = (id: string, status: string) => ({ experiment: { id, state: { status } } });
    aws.mocks.fis.on(GetExperimentCommand, { id: 'EXP1' }).resolves(experiment('EXP1', 'running') as never);
    aws.mocks.fis.on(GetExperimentCommand, { id: 'EXP2' }).resolves(experiment('EXP2', 'completed') as never);
    aws.mocks.fis.on(GetExperimentCommand, { id: 'EXP3' }).resolves(experiment('EXP3', 'initiating') as never);
    aws.mocks.fis
      .on(ListExperimentsCommand)
      .resolves({ experiments: [{ id: 'EXP3', tags: { 'shaketable:run': 'r-untracked' } }] });
    aws.mocks.fis.on(StopExperimentCommand).callsFake((input) => {
      log.push(`stop ${input.id}`);
      return experiment(input.id, 'stopping');
    });
    const { code, stdout } = await run('halt', '--reason', 'incident 4711');
    expect(code).toBe(0);
    expect(log).toEqual([
      'put /shaketable/halt',
      'update run#r-running {":v0":"halt"}',
      'stop EXP1',
      'update run#r-untracked {":v0":"halt"}',
      'stop EXP3',
    ]);
    const put = aws.mocks.ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ Name: '/shaketable/halt', Type: 'String', Overwrite: true });
    expect(JSON.parse(put?.Value ?? '')).toEqual({ on: true, reason: 'incident 4711', at: '2026-03-10T10:00:00.000Z' });
    expect(aws.mocks.dynamodb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'byStatus',
      ExpressionAttributeValues: { ':status': 'RUNNING' },
    });
    expect(aws.mocks.dynamodb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeNames).toEqual({
      '#f0': 'stopCause',
    });
    expect(stdout).toContain('✓ run r-running (a): stopped fault EXP1');
    expect(stdout).toContain('✓ run r-ended (b): fault EXP2 had already ended (completed)');
    expect(stdout).toContain('✓ run r-untracked (c): stopped fault EXP3');
  });

  it('keeps stopping the others when one stop fails, reports it and exits 4', async () => {
    aws.mocks.ssm.on(PutParameterCommand).resolves({});
    aws.mocks.dynamodb.on(QueryCommand).resolves({
      Items: [
        { runId: 'r1', experiment: 'a', status: 'RUNNING', startedAt: '2026-03-10T10:00:00Z', fisExperimentId: 'EXP1' },
        { runId: 'r2', experiment: 'b', status: 'RUNNING', startedAt: '2026-03-10T09:00:00Z', fisExperimentId: 'EXP2' },
      ],
    });
    aws.mocks.dynamodb.on(UpdateCommand).resolves({});
    aws.mocks.fis
      .on(GetExperimentCommand)
      .callsFake((input) => ({ experiment: { id: input.id, state: { status: 'running' } } }));
    aws.mocks.fis.on(StopExperimentCommand, { id: 'EXP1' }).rejects(awsError('ConflictException', 'cannot stop'));
    aws.mocks.fis
      .on(StopExperimentCommand, { id: 'EXP2' })
      .resolves({ experiment: { id: 'EXP2', state: { status: 'stopping' } } } as never);
    const { code, stdout } = await run('halt', '--json');
    expect(code).toBe(4);
    const report = JSON.parse(stdout);
    expect(report.reason).toBe('halted with shaketable halt');
    expect(report.runs).toEqual([
      {
        runId: 'r1',
        experiment: 'a',
        fisExperimentId: 'EXP1',
        outcome: 'failed',
        error: 'ConflictException: cannot stop',
      },
      { runId: 'r2', experiment: 'b', fisExperimentId: 'EXP2', outcome: 'stopped', fisStatus: 'stopping' },
    ]);
  });
  it('a second halt keeps the first reason and adds a new one after it', async () => {
    aws.mocks.ssm
      .on(GetParameterCommand, { Name: '/shaketable/halt' })
      .resolves({ Parameter: { Value: '{"on":true,"reason":"incident 4711"}' } });
    aws.mocks.ssm.on(PutParameterCommand).resolves({});
    aws.mocks.dynamodb.on(QueryCommand).resolves({ Items: [] });
    const again = await run('halt');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('kill switch ON (SSM /shaketable/halt): incident 4711\n');
    const more = await run('halt', '--reason', 'db failover');
    expect(more.code).toBe(0);
    const values = aws.mocks.ssm
      .commandCalls(PutParameterCommand)
      .map((call) => JSON.parse(call.args[0].input.Value ?? '').reason);
    expect(values).toEqual(['incident 4711', 'incident 4711; db failover']);
  });

  it('with a wrong stack says in one line that nothing was halted, and leaves the switch alone', async () => {
    aws.mocks.cloudFormation.rejects(awsError('ValidationError', 'Stack with id Other does not exist'));
    const { code, stderr } = await runCommand(
      ALL,
      ['halt', '--reason', 'incident', '--stack', 'Other', '--region', REGION],
      aws.sessions,
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: NOTHING WAS HALTED (the kill switch is unchanged): stack "Other" does not exist in eu-central-1: deploy it with `npx cdk deploy`, or pass --stack and --region\n',
    );
    expect(aws.mocks.ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('says the switch is on but no run was stopped when the run table cannot be read', async () => {
    aws.mocks.ssm.on(PutParameterCommand).resolves({});
    aws.mocks.dynamodb.on(QueryCommand).rejects(awsError('AccessDeniedException', 'not allowed: dynamodb:Query'));
    const { code, stderr } = await run('halt', '--reason', 'incident');
    expect(code).toBe(5);
    expect(stderr).toMatch(
      /^error: kill switch ON \(incident\), but NO RUN WAS STOPPED \(the running runs could not be listed\): /,
    );
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('halt --local and resume', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'shaketable-halt-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('turns the sandbox kill switch on and off in .shaketable/halt.json, touching no AWS API', async () => {
    const file = join(cwd, '.shaketable/halt.json');
    const halt = await runCommand(ALL, ['halt', '--local', '--reason', 'demo'], aws.sessions, cwd);
    expect(halt.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ on: true, reason: 'demo' });
    const resumed = await runCommand(ALL, ['resume', '--local'], aws.sessions, cwd);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('it was on: demo');
    expect(existsSync(file)).toBe(false);
    expect(aws.mocks.ssm.calls()).toHaveLength(0);
  });

  it('a second halt --local keeps the first reason', async () => {
    await runCommand(ALL, ['halt', '--local', '--reason', 'demo'], aws.sessions, cwd);
    const again = await runCommand(ALL, ['halt', '--local'], aws.sessions, cwd);
    expect(again.stdout).toContain(': demo\n');
    await runCommand(ALL, ['halt', '--local', '--reason', 'game day'], aws.sessions, cwd);
    expect(JSON.parse(readFileSync(join(cwd, '.shaketable/halt.json'), 'utf8')).reason).toBe('demo; game day');
  });

  it('resume turns SSM /shaketable/halt off on AWS', async () => {
    aws.mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{"on":true,"reason":"incident"}' } });
    aws.mocks.ssm.on(PutParameterCommand).resolves({});
    const { code, stdout } = await run('resume');
    expect(code).toBe(0);
    expect(stdout).toBe('kill switch OFF (SSM /shaketable/halt); it was on: incident\n');
    const put = aws.mocks.ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(put?.Name).toBe('/shaketable/halt');
    expect(JSON.parse(put?.Value ?? '')).toMatchObject({ on: false });
  });
});

describe('approve and reject', () => {
  const waiting = {
    runId: RUN_ID,
    experiment: 'checkout-instance-loss',
    status: 'RUNNING',
    startedAt: '2026-03-10T10:00:00Z',
    approvalToken: 'tok-1',
  };
  beforeEach(() => {
    aws.mocks.sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:sts::123456789012:assumed-role/Ops/alice' });
  });

  it('approve completes the stored approval token with {approved: true, by}', async () => {
    aws.mocks.dynamodb.on(GetCommand).resolves({ Item: waiting });
    aws.mocks.sfn.on(SendTaskSuccessCommand).resolves({});
    const { code, stdout } = await run('approve', RUN_ID);
    expect(code).toBe(0);
    expect(aws.mocks.sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'tok-1',
      output: JSON.stringify({ approved: true, by: 'arn:aws:sts::123456789012:assumed-role/Ops/alice' }),
    });
    expect(stdout).toBe(
      `approved run ${RUN_ID} (checkout-instance-loss) as arn:aws:sts::123456789012:assumed-role/Ops/alice\n`,
    );
  });

  it('reject fails the token with Shaketable.ApprovalRejected and the reason', async () => {
    aws.mocks.dynamodb.on(GetCommand).resolves({ Item: waiting });
    aws.mocks.sfn.on(SendTaskFailureCommand).resolves({});
    const { code } = await run('reject', RUN_ID, '--reason', 'release freeze');
    expect(code).toBe(0);
    expect(aws.mocks.sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toEqual({
      taskToken: 'tok-1',
      error: 'Shaketable.ApprovalRejected',
      cause: 'rejected by arn:aws:sts::123456789012:assumed-role/Ops/alice: release freeze',
    });
  });

  it('exits 2 with one line for a run that is not waiting: unknown, ended, no token, or already answered', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [undefined, /is not in the run table/],
      [{ ...waiting, status: 'DONE', verdict: 'PASSED' }, /is not waiting for approval: it has ended \(PASSED\)/],
      [{ ...waiting, approvalToken: undefined }, /has not reached the Approval state/],
      [waiting, /no longer waiting for approval: it was already answered or its approval timed out/],
    ];
    aws.mocks.sfn.on(SendTaskSuccessCommand).rejects(awsError('TaskTimedOut'));
    for (const [item, message] of cases) {
      aws.mocks.dynamodb.on(GetCommand).resolves(item ? { Item: item as Record<string, unknown> } : {});
      const { code, stderr } = await run('approve', RUN_ID);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

describe('every AWS command', () => {
  it('has --help with usage and an example', async () => {
    for (const name of ['status', 'history', 'preflight', 'halt', 'resume', 'approve', 'reject']) {
      const { code, stdout } = await runCommand(ALL, [name, '--help'], aws.sessions);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: shaketable ${name} `));
      expect(stdout).toMatch(/Examples?:\n {2}npx shaketable /);
    }
  });

  it('exits 2 on an unknown flag', async () => {
    const { code, stderr } = await runCommand(ALL, ['status', RUN_ID, '--frobnicate'], aws.sessions);
    expect(code).toBe(2);
    expect(stderr).toBe("error: unknown option '--frobnicate'\n");
  });

  it('exits 2 with one line when the stack does not exist', async () => {
    aws.mocks.cloudFormation.rejectsOnce(awsError('ValidationError', 'Stack with id Other does not exist'));
    const { code, stderr } = await runCommand(
      ALL,
      ['history', 'checkout-instance-loss', '--stack', 'Other', '--region', REGION],
      aws.sessions,
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: stack "Other" does not exist in eu-central-1: deploy it with `npx cdk deploy`, or pass --stack and --region\n',
    );
  });
});
