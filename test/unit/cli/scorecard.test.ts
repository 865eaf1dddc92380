// `shaketable scorecard`: --local over run files written by the sandbox's own ledger and result store, and the AWS
// path over mocked CloudFormation, DynamoDB and S3 with the exact calls asserted; text, --json and --html outputs.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionFactory } from '../../../cli/aws/options.js';
import { registerScorecardCommand } from '../../../cli/commands/scorecard.js';
import type { CliContext } from '../../../cli/main.js';
import type { Scorecard } from '../../../core/scorecard/compute.js';
import { FileRunLedger } from '../../../local/files/ledger.js';
import { FileResultStore } from '../../../local/files/results.js';
import { finishedRun, type RunSpec } from '../scorecard/history.js';
import { awsError, mockedAws, REGION, runCommand, TABLE } from './aws/harness.js';

const NOW = new Date('2026-03-20T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const REPO = new URL('../../../', import.meta.url);

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'shaketable-scorecard-'));
  mkdirSync(join(cwd, 'experiments/local'), { recursive: true });
  for (const file of [
    'checkout-instance-loss.yaml',
    'orders-task-loss.yaml',
    'local/local-instance-loss.yaml',
    'local/local-error-burst.yaml',
  ]) {
    writeFileSync(join(cwd, 'experiments', file), readFileSync(new URL(`experiments/${file}`, REPO)));
  }
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

const register =
  (clock = { now: () => NOW }) =>
  (program: Command, context: CliContext, sessions: SessionFactory) =>
    registerScorecardCommand(program, context, sessions, clock);

describe('shaketable scorecard --local', () => {
  async function writeRuns(specs: RunSpec[]): Promise<Map<string, string>> {
    const base = join(cwd, '.shaketable');
    const ledger = new FileRunLedger(base);
    const store = new FileResultStore(base);
    const uris = new Map<string, string>();
    for (const spec of specs) {
      const { run, result } = finishedRun(spec);
      const stored = await store.put(result, '<html></html>');
      await ledger.putRun({ ...run, resultUri: stored.resultUri, reportUri: stored.reportUri });
      uris.set(run.runId, stored.resultUri);
    }
    return uris;
  }
  const scorecard = (...argv: string[]) =>
    runCommand(
      [register()],
      ['scorecard', '--local', ...argv],
      () => {
        throw new Error('--local never opens an AWS session');
      },
      cwd,
    );

  it('scores the sandbox runs against the local experiments only', async () => {
    const uris = await writeRuns([
      { runId: 'local-1', experiment: 'local-instance-loss', startedAt: daysAgo(1), from: 'passed' },
      {
        runId: 'local-2',
        experiment: 'local-instance-loss',
        startedAt: daysAgo(2),
        from: 'failed',
        verdict: 'DEGRADED',
      },
      { runId: 'local-3', experiment: 'local-instance-loss', startedAt: daysAgo(3), from: 'skipped' },
      { runId: 'local-old', experiment: 'local-instance-loss', startedAt: daysAgo(45), from: 'passed' },
      { runId: 'local-gone', experiment: 'local-instance-loss', startedAt: daysAgo(4), from: 'passed' },
    ]);
    unlinkSync(fileURLToPath(uris.get('local-gone')!));

    const { code, stdout, stderr } = await scorecard();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      `Scorecard over 30 days (${daysAgo(30)} to ${NOW.toISOString()}): 4 runs, 3 injected a fault, hypothesis pass rate 67 % (2/3)`,
    );
    expect(stdout).toMatch(/\nlocal-error-burst\s+0\s+—\s+—\s+never\s+not run recently\n/);
    expect(stdout).toMatch(/\nlocal-instance-loss\s+4\s+2 PASSED, 1 DEGRADED, 1 SKIPPED\s+67 % \(2\/3\)\s+/);
    expect(stdout).not.toContain('checkout-instance-loss');
    expect(stdout).toMatch(/\nlocal:instance:terminate\s+3\s+local-instance-loss\n/);
    expect(stdout).toContain('not run recently: local-error-burst: never ran and has no schedule');
    expect(stdout).toMatch(/\n {2}local-instance-loss local-gone: file:\/\/.+result\.json: Error: ENOENT/);
  });

  it('prints JSON with --json and writes a self-contained page with --html', async () => {
    await writeRuns([{ runId: 'local-1', experiment: 'local-instance-loss', startedAt: daysAgo(1), from: 'passed' }]);
    const { code, stdout, stderr } = await scorecard('--json', '--html', 'out/scorecard.html', '--days', '7');
    expect(code).toBe(0);
    const card = JSON.parse(stdout) as Scorecard;
    expect(card.days).toBe(7);
    expect(card.totals).toMatchObject({ runs: 1, injected: 1, passed: 1, passRate: 1 });
    expect(card.faultTypes).toEqual([
      { faultType: 'local:instance:terminate', injected: 1, experiments: ['local-instance-loss'] },
    ]);
    const page = join(cwd, 'out/scorecard.html');
    expect(stderr).toBe(`scorecard: ${page}\n`);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<span class="v" data-verdict="PASSED">1 PASSED</span>');
  });

  it('reports an invalid experiment file on stderr and scores the rest', async () => {
    writeFileSync(join(cwd, 'experiments/local/broken.yaml'), 'version: 1\nname: Broken!\n');
    const { code, stdout, stderr } = await scorecard();
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^warning: experiments\/local\/broken\.yaml is invalid and left out of the scorecard \(.+\); run npx shaketable validate\n$/,
    );
    expect(stdout).toContain('local-instance-loss');
  });

  it('refuses a bad --days and AWS flags with --local, with one line and exit 2', async () => {
    expect(await scorecard('--days', '0')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --days: "0" is not a whole number of days from 1 to 3650\n',
    });
    const both = await scorecard('--region', REGION);
    expect(both).toEqual({ code: 2, stdout: '', stderr: 'error: --stack and --region do not apply with --local\n' });
  });

  it('has help with usage and examples', async () => {
    const { code, stdout } = await runCommand([register()], ['scorecard', '--help'], mockedAws().sessions, cwd);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: shaketable scorecard [options]');
    expect(stdout).toContain('--days <n>');
    expect(stdout).toContain('npx shaketable scorecard --days 90 --html scorecard.html');
  });
});

describe('shaketable scorecard on AWS', () => {
  let aws: ReturnType<typeof mockedAws>;
  beforeEach(() => {
    aws = mockedAws(NOW);
  });
  const scorecard = (...argv: string[]) =>
    runCommand([register()], ['scorecard', '--region', REGION, ...argv], aws.sessions, cwd);

  it('reads the run table and the results in the window from S3, and scores the deployed catalog', async () => {
    const fresh = finishedRun({
      runId: 'r1',
      experiment: 'checkout-instance-loss',
      startedAt: daysAgo(2),
      from: 'failed',
    });
    const skipped = finishedRun({
      runId: 'r2',
      experiment: 'checkout-instance-loss',
      startedAt: daysAgo(3),
      from: 'skipped',
    });
    const old = finishedRun({ runId: 'r0', experiment: 'orders-task-loss', startedAt: daysAgo(80), from: 'passed' });
    const item = (run: typeof fresh.run) => ({ pk: `run#${run.runId}`, sk: 'run', ...run });
    aws.mocks.dynamodb
      .on(ScanCommand)
      .resolvesOnce({ Items: [item(fresh.run)], LastEvaluatedKey: { pk: 'run#r1', sk: 'run' } })
      .resolvesOnce({ Items: [item(skipped.run), item(old.run)] });
    for (const { run, result } of [fresh, skipped]) {
      const key = run.resultUri!.slice(`s3://results/`.length);
      aws.mocks.s3
        .on(GetObjectCommand, { Bucket: 'results', Key: key })
        .resolves({ Body: { transformToString: async () => JSON.stringify(result) } } as never);
    }

    const { code, stdout, stderr } = await scorecard('--json');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(aws.mocks.cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'Shaketable',
    });
    const scans = aws.mocks.dynamodb.commandCalls(ScanCommand).map((c) => c.args[0].input);
    expect(scans).toEqual([
      {
        TableName: TABLE,
        FilterExpression: 'begins_with(pk, :run)',
        ExpressionAttributeValues: { ':run': 'run#' },
        ExclusiveStartKey: undefined,
      },
      {
        TableName: TABLE,
        FilterExpression: 'begins_with(pk, :run)',
        ExpressionAttributeValues: { ':run': 'run#' },
        ExclusiveStartKey: { pk: 'run#r1', sk: 'run' },
      },
    ]);
    // only the results of runs inside the window are read
    const reads = aws.mocks.s3
      .commandCalls(GetObjectCommand)
      .map((c) => c.args[0].input.Key)
      .sort();
    expect(reads).toEqual(['runs/checkout-instance-loss/r1/result.json', 'runs/checkout-instance-loss/r2/result.json']);

    const card = JSON.parse(stdout) as Scorecard;
    // the AWS catalog: experiments/*.yaml without the provider: local files under experiments/local/
    expect(card.experiments.map((e) => e.experiment)).toEqual(['checkout-instance-loss', 'orders-task-loss']);
    expect(card.totals).toMatchObject({ runs: 2, injected: 1, passed: 0, passRate: 0 });
    expect(card.failingGuardrails.map((g) => g.name)).toContain('blackouts');
    // orders-task-loss (second Wednesday monthly: longest gap 35 days) last ran 80 days ago
    expect(card.attention).toEqual([
      { experiment: 'orders-task-loss', status: 'overdue', message: expect.stringMatching(/^last run 80 days ago/) },
    ]);
  });

  it('lists a result S3 no longer has and still counts the run from the table', async () => {
    const gone = finishedRun({
      runId: 'r9',
      experiment: 'checkout-instance-loss',
      startedAt: daysAgo(1),
      from: 'passed',
    });
    aws.mocks.dynamodb.on(ScanCommand).resolves({ Items: [{ pk: 'run#r9', sk: 'run', ...gone.run }] });
    aws.mocks.s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 'The specified key does not exist.'));
    const { code, stdout } = await scorecard();
    expect(code).toBe(0);
    expect(stdout).toMatch(/\ncheckout-instance-loss\s+1\s+1 PASSED\s+100 % \(1\/1\)/);
    expect(stdout).toContain(
      'checkout-instance-loss r9: s3://results/runs/checkout-instance-loss/r9/result.json: NoSuchKey: The specified key does not exist.',
    );
  });

  it('says in one line, exit 2, when the stack does not exist or credentials are missing', async () => {
    aws.mocks.cloudFormation
      .on(DescribeStacksCommand)
      .rejects(awsError('ValidationError', 'Stack with id Nope does not exist'));
    expect(await scorecard('--stack', 'Nope')).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: stack "Nope" does not exist in ${REGION}: deploy it with \`npx cdk deploy\`, or pass --stack and --region\n`,
    });
    aws.mocks.cloudFormation
      .on(DescribeStacksCommand)
      .rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    const noCredentials = await scorecard();
    expect(noCredentials.code).toBe(5);
    expect(noCredentials.stderr).toMatch(/^error: no AWS credentials found: set AWS_PROFILE/);
    expect(aws.mocks.dynamodb.commandCalls(ScanCommand)).toHaveLength(0);
  });
});
