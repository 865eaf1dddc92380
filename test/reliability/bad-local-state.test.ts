// Damaged state under .shaketable/ as a user or a crash leaves it: a truncated, `null` or folder halt.json, a
// truncated ledger entry, a stray file in the ledger, a damaged lock. Each gives one line naming the file and the fix
// (exit 2) instead of a raw SyntaxError/TypeError/EISDIR; `resume --local` always clears the switch; the scorecard
// skips and names the entries it cannot read.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import { FileRunLedger } from '../../local/files/ledger.js';
import { LocalStateError } from '../../local/files/paths.js';
import { experimentFolder, filesIn, killAll, startCli } from './sandbox-cli.js';

afterEach(killAll);

let folder: Awaited<ReturnType<typeof experimentFolder>>;
let base: string;
beforeEach(async () => {
  folder = await experimentFolder('bad-state');
  base = path.join(folder.dir, '.shaketable');
  await mkdir(base, { recursive: true });
});
afterEach(() => folder.remove());

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, folder.dir);
  return { code, stdout, stderr };
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

const HALT_STATES = [
  { state: 'truncated', make: (f: string) => writeFile(f, '{"on": true, "rea'), why: /is not JSON \(.+\)/ },
  { state: 'null', make: (f: string) => writeFile(f, 'null\n'), why: /is not a kill-switch file/ },
  { state: 'an array', make: (f: string) => writeFile(f, '[1]\n'), why: /is not a kill-switch file/ },
  {
    state: 'a folder',
    make: async (f: string) => {
      await mkdir(f);
      await writeFile(path.join(f, 'x'), 'x');
    },
    why: /is a folder, not a file/,
  },
] as const;

describe.each(HALT_STATES)('.shaketable/halt.json that is $state', ({ make, why }) => {
  it('run --local (the real CLI) refuses with one line naming the file and the fix, exit 2, before any sandbox', async () => {
    const halt = path.join(base, 'halt.json');
    await make(halt);
    const run = startCli(['run', folder.file, '--local'], folder.dir);
    const exit = await Promise.race([
      run.exit,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('run did not exit within 20 s')), 20_000)),
    ]);
    expect(exit).toEqual({ code: 2, signal: null });
    const lines = run.stderr().split('\n').filter(Boolean);
    expect(lines, run.stderr()).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: ${literal(halt)} `));
    expect(lines[0]).toMatch(why);
    expect(lines[0]).toMatch(/; clear it with: shaketable resume --local \(or delete it\)$/);
    expect(run.stderr()).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
    // Nothing started: no run in the ledger, no pid file.
    expect(await filesIn(path.join(base, 'ledger'))).toEqual([]);
    expect(await filesIn(path.join(base, 'pids'))).toEqual([]);
  }, 30_000);

  it('resume --local clears it (exit 0) and says the file was unreadable; halt and resume work again', async () => {
    const halt = path.join(base, 'halt.json');
    await make(halt);
    const resumed = await cli('resume', '--local');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toBe('');
    expect(resumed.stdout).toMatch(
      new RegExp(
        `^kill switch OFF \\(.+halt\\.json\\); it was on: its file was unreadable and is removed \\(.+halt\\.json ${why.source}.*\\)\\n$`,
      ),
    );
    expect(await exists(halt)).toBe(false);
    expect((await cli('halt', '--local', '--reason', 'again')).code).toBe(0);
    expect(JSON.parse(await readFile(halt, 'utf8'))).toMatchObject({ on: true, reason: 'again' });
    expect((await cli('resume', '--local')).stdout).toMatch(/it was on: again\n$/);
  });
});

describe('halt --local over a folder named halt.json', () => {
  it('says which file is in the way and how to clear it, exit 2', async () => {
    const halt = path.join(base, 'halt.json');
    await mkdir(halt);
    await writeFile(path.join(halt, 'x'), 'x');
    const { code, stdout, stderr } = await cli('halt', '--local');
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      `error: ${halt} is a folder, not a file; clear it with: shaketable resume --local (or delete it)\n`,
    );
  });
});

describe('a damaged ledger', () => {
  it('scorecard --local skips each unreadable entry, names it on one line, and scores the rest (exit 0)', async () => {
    const ledgerDir = path.join(base, 'ledger');
    const ledger = new FileRunLedger(base);
    for (const runId of ['good-1', 'good-2']) {
      await ledger.putRun({
        runId,
        experiment: 'sandbox-cli-test',
        status: 'DONE',
        startedAt: new Date(Date.now() - 3_600_000).toISOString(),
        verdict: 'PASSED',
      });
    }
    await writeFile(path.join(ledgerDir, 'truncated.json'), '{"runId": "truncated", "exp');
    await writeFile(path.join(ledgerDir, 'null.json'), 'null');
    await writeFile(path.join(ledgerDir, 'other.json'), JSON.stringify({ runId: 'someone-else' }));
    await writeFile(path.join(ledgerDir, 'notes.txt'), 'hello');
    await mkdir(path.join(ledgerDir, 'folder.json'));

    const { code, stdout, stderr } = await cli('scorecard', '--local');
    expect(code).toBe(0);
    const at = (name: string) => path.join(ledgerDir, name);
    const fix = '; skipped — delete it or move it out of the ledger folder';
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      `warning: ${at('folder.json')} is a folder, not a file${fix}`,
      `warning: ${at('notes.txt')} is not a run entry (<run id>.json)${fix}`,
      expect.stringMatching(
        new RegExp(`^warning: ${literal(at('null.json'))} is not a run entry: \\(top level\\): .+${fix}$`),
      ),
      expect.stringMatching(
        new RegExp(`^warning: ${literal(at('other.json'))} is not a run entry: experiment: .+${fix}$`),
      ),
      expect.stringMatching(new RegExp(`^warning: ${literal(at('truncated.json'))} is not JSON \\(.+\\)${fix}$`)),
    ]);
    expect(stdout).toMatch(/^Scorecard over 30 days .+: 2 runs,/);
  });

  it('a damaged lock file is named with its fix, never taken as free or as held', async () => {
    const ledger = new FileRunLedger(base);
    const key = 'k'.repeat(64);
    const lock = path.join(base, 'locks', `${key}.json`);
    await mkdir(path.dirname(lock), { recursive: true });
    await writeFile(lock, '{"key": "kk');
    const later = Math.ceil(Date.now() / 1000) + 60;
    const refused = await ledger.acquireLock(key, 'run-a', later).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(LocalStateError);
    expect((refused as Error).message).toMatch(
      new RegExp(`^${literal(lock)} is not JSON \\(.+\\); delete it when no run of its experiment is in progress$`),
    );
    await rm(lock);
    expect((await ledger.acquireLock(key, 'run-a', later)).acquired).toBe(true);
    expect(await filesIn(path.dirname(lock))).toEqual([`${key}.json`]); // no temporary file left behind
  });
});
