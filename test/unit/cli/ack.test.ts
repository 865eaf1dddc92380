// `shaketable ack`: a responder's acknowledgement lands on the run's entry (the sandbox's ledger with --local, the run
// table on AWS), a `mitigated` ack releases a GameDay held for it, and every refusal is one line with exit code 2.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerAckCommand } from '../../../cli/commands/ack.js';
import { FileRunLedger } from '../../../local/files/ledger.js';
import { mockedAws, runCommand, TABLE } from './aws/harness.js';

const noAws = () => {
  throw new Error('a --local command never opens an AWS session');
};

const RUNNING = {
  runId: 'r-running',
  experiment: 'local-latency',
  status: 'RUNNING' as const,
  startedAt: '2026-03-10T10:00:00.000Z',
};

let cwd: string;
let ledger: FileRunLedger;
const local = (...argv: string[]) => runCommand([registerAckCommand], argv, noAws, cwd);

beforeEach(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'shaketable-ack-'));
  ledger = new FileRunLedger(join(cwd, '.shaketable'));
  await ledger.putRun(RUNNING);
  await ledger.putRun({
    runId: 'r-done',
    experiment: 'local-latency',
    status: 'DONE',
    startedAt: '2026-03-10T09:00:00.000Z',
    verdict: 'PASSED',
  });
  await ledger.putRun({ ...RUNNING, runId: 'r-evaluated', evaluatedAt: '2026-03-10T10:05:00.000Z' });
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('ack --local', () => {
  it('records the ack with its time, the OS user and the note on the run in the ledger', async () => {
    const before = Date.now();
    const { code, stdout, stderr } = await local('ack', 'r-running', 'detected', '--local', '--note', 'p99 page');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const acks = (await ledger.getRun('r-running'))?.acks ?? [];
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ kind: 'detected', by: userInfo().username, note: 'p99 page' });
    expect(Date.parse(acks[0]?.at ?? '')).toBeGreaterThanOrEqual(before - 1);
    expect(stdout).toMatch(/^detected ack recorded for run r-running \(local-latency\) at \S+ by \S+\n$/);
    await local('ack', 'r-running', 'mitigated', '--local');
    expect((await ledger.getRun('r-running'))?.acks?.map((a) => a.kind)).toEqual(['detected', 'mitigated']);
  });

  it('refuses an unknown run, a finished run, an evaluated run, a bad kind and a bad run id: one line, exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['ack', 'r-nowhere', 'detected', '--local'], /^error: run r-nowhere is not a recorded run; /],
      [
        ['ack', 'r-done', 'mitigated', '--local'],
        /^error: run r-done of local-latency is already evaluated \(PASSED\)/,
      ],
      [['ack', 'r-evaluated', 'detected', '--local'], /^error: run r-evaluated of local-latency is already evaluated/],
      [
        ['ack', 'r-running', 'fixed', '--local'],
        /^error: ack: "fixed" is not an acknowledgement; use detected or mitigated/,
      ],
      [['ack', '../etc', 'detected', '--local'], /^error: ack: "\.\.\/etc" is not a run id/],
      [['ack', 'r-running', 'detected', '--local', '--region', 'eu-west-1'], /^error: --region applies to AWS runs/],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await local(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect((await ledger.getRun('r-done'))?.acks).toBeUndefined();
    expect((await ledger.getRun('r-running'))?.acks).toBeUndefined();
  });

  it('has --help with both kinds and examples', async () => {
    const { code, stdout } = await local('ack', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: shaketable ack \[options\] <runId> <kind>/);
    expect(stdout).toContain('detected or mitigated');
    expect(stdout).toMatch(/Examples:\n {2}npx shaketable ack /);
  });
});

describe('ack on AWS', () => {
  const ARN = 'arn:aws:sts::123456789012:assumed-role/Ops/alice';
  let aws: ReturnType<typeof mockedAws>;
  beforeEach(() => {
    aws = mockedAws();
    aws.mocks.sts.on(GetCallerIdentityCommand).resolves({ Arn: ARN });
  });
  const run = (...argv: string[]) => runCommand([registerAckCommand], argv, aws.sessions);

  it('appends the ack in one conditional write, and a mitigated ack completes the hold token of a waiting GameDay', async () => {
    const ack = { kind: 'mitigated', at: '2026-03-10T10:00:00.000Z', by: ARN, note: 'failed over' };
    aws.mocks.dynamodb.on(UpdateCommand).resolves({
      Attributes: { pk: 'run#r-1', sk: 'run', ...RUNNING, runId: 'r-1', holdToken: 'hold-tok', acks: [ack] },
    });
    aws.mocks.sfn.on(SendTaskSuccessCommand).resolves({});
    const { code, stdout } = await run('ack', 'r-1', 'mitigated', '--note', 'failed over', '--region', 'eu-central-1');
    expect(code).toBe(0);
    const update = aws.mocks.dynamodb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update).toMatchObject({
      TableName: TABLE,
      Key: { pk: 'run#r-1', sk: 'run' },
      UpdateExpression: 'SET #acks = list_append(if_not_exists(#acks, :none), :ack)',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#evaluatedAt) AND #status <> :done',
      ExpressionAttributeValues: { ':none': [], ':ack': [ack], ':done': 'DONE' },
    });
    expect(aws.mocks.sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'hold-tok',
      output: JSON.stringify({ mitigatedBy: ARN, at: ack.at }),
    });
    expect(stdout).toContain('the GameDay goes on to its verdict');
  });

  it('a detected ack completes no token', async () => {
    aws.mocks.dynamodb.on(UpdateCommand).resolves({
      Attributes: { ...RUNNING, runId: 'r-1', holdToken: 'hold-tok', acks: [{ kind: 'detected', at: 'x', by: ARN }] },
    });
    const { code } = await run('ack', 'r-1', 'detected', '--region', 'eu-central-1');
    expect(code).toBe(0);
    expect(aws.mocks.sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses, one line and exit 2, when the write condition fails on an evaluated run or no run', async () => {
    aws.mocks.dynamodb
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    aws.mocks.dynamodb
      .on(GetCommand)
      .resolvesOnce({ Item: { ...RUNNING, status: 'DONE', verdict: 'DEGRADED' } })
      .resolves({});
    const done = await run('ack', 'r-running', 'mitigated', '--region', 'eu-central-1');
    expect(done.code).toBe(2);
    expect(done.stderr).toBe(
      'error: run r-running of local-latency is already evaluated (DEGRADED): acks are accepted only until its verdict is decided\n',
    );
    const unknown = await run('ack', 'r-running', 'mitigated', '--region', 'eu-central-1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: run r-running is not a recorded run; [^\n]*\n$/);
  });
});
