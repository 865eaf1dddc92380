// The sandbox loop without AWS: `status --local` and `history --local` read the local ledger
// (.shaketable/ledger/<runId>.json, written by `run --local`), and never open an AWS session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerHistoryCommand } from '../../../cli/commands/history.js';
import { registerStatusCommand } from '../../../cli/commands/status.js';
import { FileRunLedger } from '../../../local/files/ledger.js';
import { runCommand } from './aws/harness.js';

const noAws = () => {
  throw new Error('a --local command never opens an AWS session');
};

let cwd: string;
const cli = (...argv: string[]) => runCommand([registerStatusCommand, registerHistoryCommand], argv, noAws, cwd);

beforeEach(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'shaketable-local-history-'));
  const ledger = new FileRunLedger(join(cwd, '.shaketable'));
  const dir = join(cwd, '.shaketable/runs/local-instance-loss/r-done');
  await ledger.putRun({
    runId: 'r-done',
    experiment: 'local-instance-loss',
    status: 'DONE',
    startedAt: '2026-03-10T10:00:00.000Z',
    endedAt: '2026-03-10T10:00:30.000Z',
    trigger: 'manual',
    verdict: 'PASSED',
    resultUri: pathToFileURL(join(dir, 'result.json')).href,
    reportUri: pathToFileURL(join(dir, 'report.html')).href,
  });
  await ledger.putRun({
    runId: 'r-other',
    experiment: 'local-error-burst',
    status: 'RUNNING',
    startedAt: '2026-03-10T11:00:00.000Z',
  });
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('status --local', () => {
  it('shows a sandbox run from the local ledger, with its result, report and how to read the reasons', async () => {
    const { code, stdout } = await cli('status', 'r-done', '--local');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'run        r-done',
        'experiment local-instance-loss',
        'status     DONE',
        'trigger    manual',
        'started    2026-03-10T10:00:00.000Z',
        'ended      2026-03-10T10:00:30.000Z (30 s)',
        'verdict    PASSED',
        'result     .shaketable/runs/local-instance-loss/r-done/result.json',
        'report     .shaketable/runs/local-instance-loss/r-done/report.html',
        'reasons    npx shaketable report .shaketable/runs/local-instance-loss/r-done/result.json',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await cli('status', 'r-done', '--local', '--json')).stdout);
    expect(json).toMatchObject({ runId: 'r-done', runStatus: 'DONE', verdict: 'PASSED', durationSeconds: 30 });
  });

  it('exits 2 with one line for a run the ledger does not hold', async () => {
    const { code, stderr } = await cli('status', 'r-nope', '--local');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: no run r-nope in the sandbox ledger (.shaketable/ledger): list runs with npx shaketable history --local\n',
    );
  });
});

describe('history --local', () => {
  it("lists one experiment's sandbox runs, or every run newest first without a name", async () => {
    const one = await cli('history', 'local-instance-loss', '--local');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^RUN ID +STARTED +VERDICT +DURATION +REPORT\n/);
    expect(one.stdout).toContain('r-done');
    expect(one.stdout).not.toContain('r-other');
    const all = await cli('history', '--local', '--json');
    expect(JSON.parse(all.stdout).map((r: { runId: string }) => r.runId)).toEqual(['r-other', 'r-done']);
    const text = await cli('history', '--local');
    expect(text.stdout.split('\n')[0]).toMatch(/^EXPERIMENT +RUN ID/);
    expect(text.stdout).toContain('.shaketable/runs/local-instance-loss/r-done/report.html');
  });

  it('says when there is no run yet, and that AWS history needs a name', async () => {
    expect((await cli('history', 'local-blackout', '--local')).stdout).toBe(
      'no runs of local-blackout in the sandbox ledger (.shaketable/ledger) yet\n',
    );
    const aws = await cli('history');
    expect(aws.code).toBe(2);
    expect(aws.stderr).toBe('error: history on AWS needs the experiment name: npx shaketable history <experiment>\n');
  });
});
