// The sandbox run ledger (the AWS twin is the DynamoDB run table): target locks as files `<base>/locks/<key>.json`,
// created with O_EXCL so that exactly one of two contenders wins and taken over once expired; and one JSON file per
// run under `<base>/ledger/<runId>.json`. A run's entry is read, changed and written back under a per-run mutex
// (`<base>/ledger-writes/<runId>.lock`): the sandbox's run and `shaketable ack --local` write the same entry from two
// processes, and neither may lose the other's change.

import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import type { AckLedger, AckRefusal, LockResult, RunLedger, RunRecord } from '../../core/ports.js';
import type { Ack } from '../../core/result/model.js';
import {
  createFileExclusive,
  DEFAULT_BASE_DIR,
  isErrno,
  LocalStateError,
  readJsonFile,
  safeName,
  writeFileAtomic,
} from './paths.js';

/** The fields every reader of an entry relies on; the rest of a RunRecord is optional. */
const RunEntry = z.object({
  runId: z.string(),
  experiment: z.string(),
  status: z.enum(['RUNNING', 'DONE']),
  startedAt: z.string(),
});

function damagedEntry(file: string, why: string): LocalStateError {
  return new LocalStateError(`${file} ${why}; skipped — delete it or move it out of the ledger folder`);
}

/** updateRun on a run the ledger has never seen (DynamoDB would need a condition to refuse it too). */
export class RunNotFoundError extends Error {
  override readonly name = 'Shaketable.RunNotFound';
}

interface LockFile {
  key: string;
  runId: string;
  /** epoch seconds, as RunLedger.acquireLock receives it */
  expiresAt: number;
}

/** Now in epoch seconds: lock expiry is epoch seconds throughout (core/ports.ts), never milliseconds. */
const epochSeconds = () => Date.now() / 1000;

export class FileRunLedger implements RunLedger, AckLedger {
  private readonly locks: string;
  private readonly runs: string;
  private readonly writes: string;

  constructor(
    baseDir: string = DEFAULT_BASE_DIR,
    /** epoch seconds */
    private readonly now: () => number = epochSeconds,
    /**
     * Told, one line naming the file, of each entry a listing skips because it cannot be read (a truncated file, a
     * stray file): the listing goes on without it.
     */
    private readonly onSkipped: (line: string) => void = () => {},
  ) {
    this.locks = path.join(baseDir, 'locks');
    this.runs = path.join(baseDir, 'ledger');
    this.writes = path.join(baseDir, 'ledger-writes');
  }

  /**
   * Acquires the lock when it is absent or expired (the DynamoDB condition
   * `attribute_not_exists(pk) OR expiresAt < :now`). A new lock is created whole and exclusively (createFileExclusive),
   * so of two contenders only one creates the file and neither reads it half written. An expired lock is replaced only by the holder of a takeover mutex (itself a `wx` file),
   * after reading it again under the mutex: nobody else can change an expired lock meanwhile, since creation needs
   * the file absent and releaseLock leaves expired locks alone.
   */
  async acquireLock(key: string, runId: string, expiresAt: number): Promise<LockResult> {
    assertEpochSeconds(expiresAt);
    const file = this.lockFile(key);
    const mutex = `${file}.takeover`;
    await mkdir(this.locks, { recursive: true });
    const content = `${JSON.stringify({ key, runId, expiresAt } satisfies LockFile)}\n`;
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await createFileExclusive(file, content)) return { acquired: true, holder: runId, expiresAt };
      const held = await readLock(file);
      if (!held) continue; // released meanwhile: try to create again
      if (held.expiresAt >= this.now()) {
        return held.runId === runId
          ? { acquired: true, holder: runId, expiresAt: held.expiresAt }
          : { acquired: false, holder: held.runId, expiresAt: held.expiresAt };
      }
      if (!(await claimMutex(mutex))) {
        await new Promise((resolve) => setTimeout(resolve, 5)); // another contender is taking over: look again
        continue;
      }
      try {
        const again = await readLock(file);
        if (again && again.expiresAt < this.now()) {
          await writeFileAtomic(file, content);
          return { acquired: true, holder: runId, expiresAt };
        }
      } finally {
        await rm(mutex, { force: true });
      }
    }
    const held = await readLock(file);
    return { acquired: false, holder: held?.runId, expiresAt: held?.expiresAt };
  }

  /**
   * Releases the lock if `runId` holds it and it has not expired. An expired lock is left in place: it is free for
   * anyone to take over, and removing it could race with a takeover in progress.
   */
  async releaseLock(key: string, runId: string): Promise<void> {
    const file = this.lockFile(key);
    const held = await readLock(file);
    if (held?.runId !== runId || held.expiresAt < this.now()) return;
    await rm(file, { force: true });
  }

  async putRun(run: RunRecord): Promise<void> {
    await writeFileAtomic(this.runFile(run.runId), `${JSON.stringify(run, null, 2)}\n`);
  }

  async updateRun(runId: string, fields: Partial<RunRecord>): Promise<void> {
    await this.exclusive(runId, async () => {
      const run = await this.getRun(runId);
      if (!run) throw new RunNotFoundError(`run ${runId} is not in the ledger ${this.runs}`);
      await this.putRun({ ...run, ...fields, runId });
    });
  }

  /** As the run table's conditional write: refused once the run is evaluated (`evaluatedAt`) or has ended (DONE). */
  async appendAck(
    runId: string,
    ack: Ack,
  ): Promise<{ accepted: true; run: RunRecord } | { accepted: false; refusal: AckRefusal; run?: RunRecord }> {
    return this.exclusive(runId, async () => {
      const run = await this.getRun(runId);
      if (!run) return { accepted: false, refusal: 'unknown' };
      if (run.evaluatedAt !== undefined || run.status === 'DONE') return { accepted: false, refusal: 'evaluated', run };
      const updated: RunRecord = { ...run, acks: [...(run.acks ?? []), ack] };
      await this.putRun(updated);
      return { accepted: true, run: updated };
    });
  }

  async readAcks(runId: string): Promise<Ack[]> {
    return (await this.getRun(runId))?.acks ?? [];
  }

  /** Sets `evaluatedAt` (kept from a first close) and returns the acks. */
  async closeAcks(runId: string, at: string): Promise<Ack[]> {
    return this.exclusive(runId, async () => {
      const run = await this.getRun(runId);
      // No entry: the run never started a fault (SKIPPED at Preflight), so no ack could have been taken for it.
      if (!run) return [];
      if (run.evaluatedAt === undefined) await this.putRun({ ...run, evaluatedAt: at });
      return run.acks ?? [];
    });
  }

  /**
   * Calls `onChange` whenever the run's entry is written (by this process or another: `ack --local`), until the
   * returned function is called. Watches the folder, not the file: an atomic write replaces the file by renaming.
   */
  watchRun(runId: string, onChange: () => void): () => void {
    const name = `${safeName('run id', runId)}.json`;
    const watcher: FSWatcher = watch(this.runs, (_event, file) => {
      if (file === name) onChange();
    });
    return () => watcher.close();
  }

  /** Runs `work` holding the run's write mutex (a `wx` file; one left by a dead process is taken over after 10 s). */
  private async exclusive<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const mutex = path.join(this.writes, `${safeName('run id', runId)}.lock`);
    await mkdir(this.writes, { recursive: true });
    const deadline = Date.now() + 2 * STALE_MUTEX_MS;
    while (!(await claimMutex(mutex))) {
      if (Date.now() > deadline) {
        throw new LocalStateError(`${mutex} stays held; delete it when no shaketable process is running`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    try {
      return await work();
    } finally {
      await rm(mutex, { force: true });
    }
  }

  /** Throws LocalStateError, naming the file, when the run's entry is damaged (truncated, not a run record). */
  async getRun(runId: string): Promise<RunRecord | undefined> {
    const file = this.runFile(runId);
    const read = await readJsonFile(file);
    if (read === 'absent') return undefined;
    if ('damaged' in read) throw damagedEntry(file, read.damaged);
    const parsed = RunEntry.safeParse(read.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw damagedEntry(
        file,
        `is not a run entry: ${issue?.path.map(String).join('.') || '(top level)'}: ${issue?.message}`,
      );
    }
    if (parsed.data.runId !== runId) throw damagedEntry(file, `holds run ${parsed.data.runId}, not ${runId}`);
    return read.json as RunRecord;
  }

  async findRunByFaultId(fisExperimentId: string): Promise<RunRecord | undefined> {
    return (await this.allRuns()).find((run) => run.fisExperimentId === fisExperimentId);
  }

  /** Most recent first (by startedAt). */
  async listRuns(filter: { experiment?: string; status?: RunRecord['status']; limit?: number }): Promise<RunRecord[]> {
    const runs = (await this.allRuns())
      .filter((run) => filter.experiment === undefined || run.experiment === filter.experiment)
      .filter((run) => filter.status === undefined || run.status === filter.status)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return filter.limit === undefined ? runs : runs.slice(0, filter.limit);
  }

  private lockFile(key: string): string {
    return path.join(this.locks, `${safeName('lock key', key)}.json`);
  }

  private runFile(runId: string): string {
    return path.join(this.runs, `${safeName('run id', runId)}.json`);
  }

  private async allRuns(): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.runs);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    }
    const runs: RunRecord[] = [];
    for (const name of names.sort()) {
      const file = path.join(this.runs, name);
      // Atomic writes leave `<entry>.json.<pid>.<hex>.tmp` for an instant: not an entry, not a stray file.
      if (/\.json\.\d+\.[0-9a-f]+\.tmp$/.test(name)) continue;
      try {
        if (!name.endsWith('.json')) throw damagedEntry(file, 'is not a run entry (<run id>.json)');
        const runId = name.slice(0, -'.json'.length);
        if (!/^[A-Za-z0-9_-]{1,128}$/.test(runId)) throw damagedEntry(file, 'is not a run entry (<run id>.json)');
        const run = await this.getRun(runId);
        if (run) runs.push(run);
      } catch (error) {
        if (!(error instanceof LocalStateError)) throw error;
        this.onSkipped(error.message);
      }
    }
    return runs;
  }
}

/** A value that is plainly milliseconds is refused, not stored as a lease of 50,000 years (as DynamoRunLedger does). */
function assertEpochSeconds(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds > 1e11) {
    throw new RangeError(`lock expiresAt must be epoch seconds, got ${seconds}`);
  }
}

/** A takeover mutex older than this was left by a process that died while holding it. */
const STALE_MUTEX_MS = 10_000;

async function claimMutex(mutex: string): Promise<boolean> {
  try {
    await writeFile(mutex, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
  }
  try {
    if (Date.now() - (await stat(mutex)).mtimeMs > STALE_MUTEX_MS) await rm(mutex, { force: true });
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  return false;
}

const LockEntry = z.object({ key: z.string(), runId: z.string(), expiresAt: z.number() });

/** A lock file that is not one (truncated, edited by hand) is named with its fix, never taken as free or held. */
async function readLock(file: string): Promise<LockFile | undefined> {
  const read = await readJsonFile(file);
  if (read === 'absent') return undefined;
  if ('damaged' in read) throw damagedLock(file, read.damaged);
  const parsed = LockEntry.safeParse(read.json);
  if (!parsed.success) throw damagedLock(file, 'is not a lock file (expected {"key", "runId", "expiresAt"})');
  return parsed.data;
}

function damagedLock(file: string, why: string): LocalStateError {
  return new LocalStateError(`${file} ${why}; delete it when no run of its experiment is in progress`);
}
