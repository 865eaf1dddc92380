import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../core/result/model.js';
import { INSTANCE_SCRIPT } from '../../../local/demo/instance.js';
import { FileKillSwitch } from '../../../local/files/kill-switch.js';
import { FileRunLedger, RunNotFoundError } from '../../../local/files/ledger.js';
import { UnsafeNameError } from '../../../local/files/paths.js';
import { cleanupStale, isAlive, pidFilePath, writePidFile } from '../../../local/files/pids.js';
import { FileResultStore } from '../../../local/files/results.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'shaketable-files-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('file kill switch', () => {
  it('is off when the file is absent, on with its reason once set, and off again when cleared', async () => {
    const killSwitch = new FileKillSwitch(base);
    expect(await killSwitch.get()).toEqual({ on: false });
    await killSwitch.set(true, 'incident 42');
    expect(await killSwitch.get()).toEqual({ on: true, reason: 'incident 42' });
    expect(JSON.parse(await readFile(path.join(base, 'halt.json'), 'utf8'))).toMatchObject({ on: true });
    await killSwitch.set(false);
    expect(await killSwitch.get()).toEqual({ on: false });
  });
});

describe('file run ledger lock', () => {
  const key = 'a'.repeat(64);

  it('lets exactly one of two concurrent acquires win', async () => {
    const ledger = new FileRunLedger(base);
    const later = Math.ceil(Date.now() / 1000) + 60;
    const results = await Promise.all([
      ledger.acquireLock(key, 'run-a', later),
      ledger.acquireLock(key, 'run-b', later),
    ]);
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    const loser = results.find((r) => !r.acquired)!;
    const winner = results.find((r) => r.acquired)!;
    expect(loser.holder).toBe(winner.holder);
  });

  it('refuses a live lock held by another run and names the holder', async () => {
    const ledger = new FileRunLedger(base);
    const later = Math.ceil(Date.now() / 1000) + 60;
    expect((await ledger.acquireLock(key, 'run-a', later)).acquired).toBe(true);
    expect(await ledger.acquireLock(key, 'run-b', later)).toEqual({
      acquired: false,
      holder: 'run-a',
      expiresAt: later,
    });
  });

  it('takes over an expired lock, once, among many contenders', async () => {
    let now = 1_000;
    const ledger = new FileRunLedger(base, () => now);
    expect((await ledger.acquireLock(key, 'stale-run', 2_000)).acquired).toBe(true);
    now = 3_000;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => ledger.acquireLock(key, `run-${i}`, 100_000)),
    );
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    expect(results.every((r) => r.holder === winners[0]!.holder)).toBe(true);
  });

  it('takes over an expired lock even when a takeover left by a dead process is stale', async () => {
    let now = 1_000;
    const ledger = new FileRunLedger(base, () => now);
    await ledger.acquireLock(key, 'stale-run', 2_000);
    now = 3_000;
    const mutex = path.join(base, 'locks', `${key}.json.takeover`);
    await writeFile(mutex, '999999\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(mutex, old, old);
    expect((await ledger.acquireLock(key, 'run-new', 100_000)).acquired).toBe(true);
    // The old holder releasing late does not free the new holder's lock.
    await ledger.releaseLock(key, 'stale-run');
    expect(await ledger.acquireLock(key, 'run-other', 100_000)).toMatchObject({ acquired: false, holder: 'run-new' });
  });

  it('holds a lock whose expiry is epoch seconds (as the plan computes it) with the real clock', async () => {
    const ledger = new FileRunLedger(base);
    const inOneMinute = Math.ceil(Date.now() / 1000) + 60;
    expect((await ledger.acquireLock(key, 'run-a', inOneMinute)).acquired).toBe(true);
    expect(await ledger.acquireLock(key, 'run-b', inOneMinute)).toMatchObject({ acquired: false, holder: 'run-a' });
  });

  it('refuses an expiry in milliseconds instead of storing a lease of 50,000 years', async () => {
    const ledger = new FileRunLedger(base);
    await expect(ledger.acquireLock(key, 'run-a', Date.now() + 60_000)).rejects.toThrow(/epoch seconds/);
  });

  it('removes the lock file when its holder releases it', async () => {
    const ledger = new FileRunLedger(base);
    await ledger.acquireLock(key, 'run-a', Math.ceil(Date.now() / 1000) + 60);
    await ledger.releaseLock(key, 'run-a');
    expect(await readdir(path.join(base, 'locks'))).toEqual([]);
  });

  it('releases only for the holder', async () => {
    const ledger = new FileRunLedger(base);
    const later = Math.ceil(Date.now() / 1000) + 60;
    await ledger.acquireLock(key, 'run-a', later);
    await ledger.releaseLock(key, 'run-b');
    expect((await ledger.acquireLock(key, 'run-c', later)).acquired).toBe(false);
    await ledger.releaseLock(key, 'run-a');
    expect((await ledger.acquireLock(key, 'run-c', later)).acquired).toBe(true);
  });
});

describe('file run ledger records', () => {
  it('puts, updates, finds by fault id and lists runs most recent first', async () => {
    const ledger = new FileRunLedger(base);
    await ledger.putRun({ runId: 'r1', experiment: 'e1', status: 'RUNNING', startedAt: '2026-01-01T10:00:00.000Z' });
    await ledger.putRun({ runId: 'r2', experiment: 'e1', status: 'RUNNING', startedAt: '2026-01-01T11:00:00.000Z' });
    await ledger.putRun({ runId: 'r3', experiment: 'e2', status: 'RUNNING', startedAt: '2026-01-01T12:00:00.000Z' });
    await ledger.updateRun('r1', { fisExperimentId: 'EXP1', status: 'DONE', verdict: 'PASSED' });
    expect(await ledger.getRun('r1')).toMatchObject({ runId: 'r1', status: 'DONE', verdict: 'PASSED' });
    expect((await ledger.findRunByFaultId('EXP1'))?.runId).toBe('r1');
    expect(await ledger.findRunByFaultId('EXP9')).toBeUndefined();
    expect((await ledger.listRuns({ experiment: 'e1' })).map((r) => r.runId)).toEqual(['r2', 'r1']);
    expect((await ledger.listRuns({ status: 'RUNNING', limit: 1 })).map((r) => r.runId)).toEqual(['r3']);
    await expect(ledger.updateRun('nope', { status: 'DONE' })).rejects.toThrow(RunNotFoundError);
    await expect(ledger.getRun('../escape')).rejects.toThrow(UnsafeNameError);
  });

  it('loses no ack and no update when acks and updates of one run race (two ledgers, as two processes)', async () => {
    const runner = new FileRunLedger(base);
    const responder = new FileRunLedger(base);
    await runner.putRun({ runId: 'r1', experiment: 'e1', status: 'RUNNING', startedAt: '2026-01-01T10:00:00.000Z' });
    const acks = Array.from({ length: 10 }, (_, i) => ({
      kind: 'detected' as const,
      at: `2026-01-01T10:00:${String(i).padStart(2, '0')}.000Z`,
      by: `u${i}`,
    }));
    await Promise.all([
      ...acks.map((ack) => responder.appendAck('r1', ack)),
      runner.updateRun('r1', { holdToken: 'tok' }),
      runner.updateRun('r1', { fisExperimentId: 'EXP1' }),
    ]);
    const run = await runner.getRun('r1');
    expect(new Set(run?.acks?.map((a) => a.by))).toEqual(new Set(acks.map((a) => a.by)));
    expect(run).toMatchObject({ holdToken: 'tok', fisExperimentId: 'EXP1' });
    expect(await runner.closeAcks('r1', '2026-01-01T10:01:00.000Z')).toHaveLength(10);
    expect(await responder.appendAck('r1', acks[0]!)).toMatchObject({ accepted: false, refusal: 'evaluated' });
    expect((await runner.listRuns({})).map((r) => r.runId)).toEqual(['r1']);
  });

  it('tells a watcher of a run each time its entry is written, by any ledger', async () => {
    const runner = new FileRunLedger(base);
    await runner.putRun({ runId: 'r1', experiment: 'e1', status: 'RUNNING', startedAt: '2026-01-01T10:00:00.000Z' });
    await runner.putRun({ runId: 'r2', experiment: 'e1', status: 'RUNNING', startedAt: '2026-01-01T10:00:00.000Z' });
    let seen!: () => void;
    const changed = new Promise<void>((resolve) => {
      seen = resolve;
    });
    const stop = runner.watchRun('r1', () => seen());
    try {
      await new FileRunLedger(base).appendAck('r1', { kind: 'mitigated', at: '2026-01-01T10:00:05.000Z', by: 'u' });
      await changed;
    } finally {
      stop();
    }
    expect((await runner.getRun('r1'))?.acks).toHaveLength(1);
  });
});

describe('file result store', () => {
  it('writes result.json and report.html under runs/<experiment>/<runId>/ and reads the result back', async () => {
    const store = new FileResultStore(base);
    const result: Result = {
      runId: 'run-1',
      experiment: 'local-test',
      verdict: 'PASSED',
      reasons: [],
      startedAt: '2026-01-01T10:00:00.000Z',
      endedAt: '2026-01-01T10:01:00.000Z',
      trigger: 'manual',
      preflight: { checks: [] },
      fis: { targets: [] },
      phases: {},
      probes: {},
      events: [],
    };
    const stored = await store.put(result, '<!doctype html><title>r</title>');
    const dir = path.join(base, 'runs', 'local-test', 'run-1');
    expect(fileURLToPath(stored.resultUri)).toBe(path.join(dir, 'result.json'));
    expect(fileURLToPath(stored.reportUri)).toBe(path.join(dir, 'report.html'));
    expect(await readFile(path.join(dir, 'report.html'), 'utf8')).toContain('<title>r</title>');
    expect(await store.get(stored.resultUri)).toEqual(result);
  });

  it('refuses a result that does not match the model', async () => {
    const store = new FileResultStore(base);
    await writeFile(path.join(base, 'bad.json'), '{"runId": 1}');
    await expect(store.get(path.join(base, 'bad.json'))).rejects.toThrow();
  });
});

describe('stale sandbox cleanup', () => {
  /** pid_max is at most 2^22 and pids stay below it: an owner that can never be alive. */
  const DEAD_OWNER = 2 ** 22;

  it('kills the instances a dead sandbox left behind and leaves a live owner alone', async () => {
    // An orphan: an instance process started detached, as if its sandbox had been SIGKILLed.
    const orphan = spawn(process.execPath, [INSTANCE_SCRIPT], { stdio: 'ignore', detached: true });
    const pid = orphan.pid!;
    const exited = new Promise((resolve) => orphan.once('exit', resolve));
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(isAlive(pid)).toBe(true);
      // A pid file whose owner is alive (this process, seen from another sandbox) is not touched.
      await writePidFile(base, { owner: process.ppid, marker: INSTANCE_SCRIPT, children: [pid] });
      expect(await cleanupStale(base, INSTANCE_SCRIPT)).toEqual({ killed: [], quarantined: [] });
      expect(isAlive(pid)).toBe(true);
      // Owner gone: the orphan is killed and the file removed.
      await writePidFile(base, { owner: DEAD_OWNER, marker: INSTANCE_SCRIPT, children: [pid, DEAD_OWNER - 1] });
      expect((await cleanupStale(base, INSTANCE_SCRIPT)).killed).toEqual([pid]);
      await exited;
      expect(isAlive(pid)).toBe(false);
      await expect(readFile(pidFilePath(base, DEAD_OWNER))).rejects.toThrow(/ENOENT/);
    } finally {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('does not kill a live process whose command line lacks the marker (a recycled pid)', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await writePidFile(base, { owner: DEAD_OWNER, marker: INSTANCE_SCRIPT, children: [other.pid!] });
      expect((await cleanupStale(base, INSTANCE_SCRIPT)).killed).toEqual([]);
      expect(isAlive(other.pid!)).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it.each([
    ['an empty marker (which every command line "contains")', { owner: DEAD_OWNER, marker: '', children: [0] }],
    ['a marker that is not the instance script', { owner: DEAD_OWNER, marker: 'node', children: [0] }],
    ['a pid that is not a number', { owner: DEAD_OWNER, marker: INSTANCE_SCRIPT, children: ['1'] }],
    ['an unknown field', { owner: DEAD_OWNER, marker: INSTANCE_SCRIPT, children: [], kill: 'all' }],
    ['truncated JSON', '{"owner": 4194304, "marker": "x", "chil'],
  ])('quarantines a pid file with %s and kills nothing', async (_case, content) => {
    // A live process of this user that a trusting cleanup would SIGKILL.
    const bystander = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const file = pidFilePath(base, DEAD_OWNER);
      const text =
        typeof content === 'string'
          ? content
          : JSON.stringify({ ...content, children: content.children.map((c) => (c === 0 ? bystander.pid : c)) });
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      const outcome = await cleanupStale(base, INSTANCE_SCRIPT);
      expect(outcome.killed).toEqual([]);
      expect(outcome.quarantined).toHaveLength(1);
      expect(outcome.quarantined[0]).toContain(file);
      expect(outcome.quarantined[0]).toMatch(/moved to .*\.quarantined/);
      expect(isAlive(bystander.pid!)).toBe(true);
      expect(await readFile(`${file}.quarantined`, 'utf8')).toBe(text);
      // Quarantined once: the next start does not trip on it again.
      expect(await cleanupStale(base, INSTANCE_SCRIPT)).toEqual({ killed: [], quarantined: [] });
    } finally {
      bystander.kill('SIGKILL');
    }
  });
});
