// A scripted GameDay in the sandbox, end to end through the real CLI: `shaketable gameday --local` prints the run id
// and the ack commands, the responders (this test, as other processes) run `shaketable ack … --local` while it runs,
// and the run — held after the fault for the `mitigated` ack — ends with both acks, in order, and a time-to-mitigate.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeFor, type Result } from '../../../core/result/model.js';
import { CLI, killAll, ROOT, startCli } from '../../reliability/sandbox-cli.js';

const run = promisify(execFile);
let dir: string | undefined;
afterAll(async () => {
  killAll();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `shaketable ack …` as a responder types it, in the GameDay's folder. */
async function ack(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, 'ack', ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return stdout;
}

describe('shaketable gameday --local', () => {
  it('holds the verdict for the responders’ acks, which result.json records in order with TTD and TTM', {
    timeout: 180_000,
  }, async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'shaketable-gameday-'));
    const file = path.join(dir, 'gameday.yaml');
    await copyFile(path.join(ROOT, 'experiments/local/local-latency-detected.yaml'), file);
    const gameday = startCli(['gameday', file, '--local'], dir);

    await gameday.waitFor(/GameDay run \S+: responders/, 60_000);
    const runId = /GameDay run (\S+): responders/.exec(gameday.stdout())?.[1] ?? '';
    expect(gameday.stdout()).toContain(`npx shaketable ack ${runId} detected --local --note`);
    expect(gameday.stdout()).toContain(`npx shaketable ack ${runId} mitigated --local --note`);

    await gameday.waitFor(/InjectFault: fault injected/, 90_000);
    expect(await ack(dir, runId, 'detected', '--local', '--note', 'p99 page fired')).toMatch(/^detected ack recorded/);
    await gameday.waitFor(/HoldForMitigation: GameDay: holding the verdict/, 90_000);
    await ack(dir, runId, 'mitigated', '--local', '--note', 'moved traffic off the slow instance');

    const { code } = await gameday.exit;
    const resultPath = /^result +(\S+)$/m.exec(gameday.stdout())?.[1] ?? '';
    const result = JSON.parse(await readFile(path.join(dir, resultPath), 'utf8')) as Result;
    expect(result.runId).toBe(runId);
    expect(code, `${gameday.stdout()}\n${gameday.stderr()}`).toBe(exitCodeFor(result.verdict));
    // The verdict is the metrics' (PASSED on an idle machine); a host too busy to measure makes it INCONCLUSIVE,
    // which says so — the acks are what this test is about.
    if (!result.host?.starved) expect(result.verdict, result.reasons.join('\n')).toBe('PASSED');
    expect(result.acks?.map((a) => [a.kind, a.note])).toEqual([
      ['detected', 'p99 page fired'],
      ['mitigated', 'moved traffic off the slow instance'],
    ]);
    expect(result.response?.ttmSeconds).toEqual(expect.any(Number));
    expect(result.response?.ttdSeconds).toEqual(expect.any(Number));
    expect(result.response?.ttmSeconds ?? 0).toBeGreaterThan(result.response?.ttdSeconds ?? Number.NaN);
    expect(result.events.some((e) => e.type === 'gameday')).toBe(false);
    const types = result.events.map((e) => e.type);
    expect(types.indexOf('fault-start')).toBeLessThan(types.indexOf('mitigated'));

    // Evaluated: the run accepts no more acks (one line, exit 2).
    const late = await run(process.execPath, [CLI, 'ack', runId, 'detected', '--local'], { cwd: dir }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(late).toMatchObject({ code: 2 });
    expect((late as { stderr: string }).stderr).toMatch(
      /^error: run \S+ of local-latency-detected is already evaluated \([A-Z]+\)/,
    );
  });
});
