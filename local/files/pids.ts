// The pid files of sandboxes' child processes (`<base>/pids/<owner pid>.json`, one per running sandbox, so that two
// runs in one folder do not overwrite each other's), so that a run killed before it could clean up (SIGKILL, a crash)
// does not leave demo instances behind: the next start kills them first. The file is not trusted: a pid is killed
// only when its own command line (/proc/<pid>/cmdline) has the sandbox's instance script as an argument.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import { DEFAULT_BASE_DIR, isErrno, readJsonFile, writeFileAtomic } from './paths.js';

const Pid = z.number().check(z.int(), z.positive(), z.lte(2 ** 22));

/** What a pid file must hold; anything else is quarantined, never acted on. */
const PidFileShape = z.strictObject({
  owner: Pid,
  /** an argument every child's command line contains, so that a recycled pid of an unrelated process is never killed */
  marker: z.string().check(z.minLength(1)),
  children: z.array(Pid).check(z.maxLength(1024)),
});
export type PidFile = z.infer<typeof PidFileShape>;

export function pidDir(baseDir: string = DEFAULT_BASE_DIR): string {
  return path.join(baseDir, 'pids');
}

export function pidFilePath(baseDir: string = DEFAULT_BASE_DIR, owner: number = process.pid): string {
  return path.join(pidDir(baseDir), `${owner}.json`);
}

export async function writePidFile(baseDir: string, content: PidFile): Promise<void> {
  await writeFileAtomic(pidFilePath(baseDir, content.owner), `${JSON.stringify(content)}\n`);
}

export async function removePidFile(baseDir: string, owner: number = process.pid): Promise<void> {
  await rm(pidFilePath(baseDir, owner), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if (isErrno(error, 'ESRCH')) return false;
    if (isErrno(error, 'EPERM')) return true; // alive, but not ours to signal
    throw error;
  }
}

/** The arguments of a process, from /proc on Linux, else from ps (one string); undefined when it is gone. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch (error) {
    if (!isErrno(error, 'ENOENT') && !isErrno(error, 'ESRCH')) throw error;
    if (process.platform === 'linux') return undefined;
  }
  try {
    const line = execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim();
    return line ? line.split(/\s+/) : undefined;
  } catch (error) {
    if ((error as { status?: number }).status === 1) return undefined; // ps exits 1 when the pid does not exist
    throw error;
  }
}

export interface StaleCleanup {
  /** pids of a dead sandbox's instances, killed */
  killed: number[];
  /** pid files that were not what a sandbox writes, moved aside (one line each, for the user) */
  quarantined: string[];
}

/**
 * Kills the children listed by earlier sandboxes whose owner process is gone, when a child's command line has
 * `marker` (the instance script) as one of its arguments and the file names that same marker. A pid file of a
 * sandbox that is still running is left alone; one that is not a valid pid file is moved to `<file>.quarantined`.
 */
export async function cleanupStale(baseDir: string = DEFAULT_BASE_DIR, marker?: string): Promise<StaleCleanup> {
  const outcome: StaleCleanup = { killed: [], quarantined: [] };
  let names: string[];
  try {
    names = (await readdir(pidDir(baseDir))).filter((name) => name.endsWith('.json'));
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return outcome;
    if (isErrno(error, 'ENOTDIR')) {
      outcome.quarantined.push(await quarantine(pidDir(baseDir), 'is not a folder'));
      return outcome;
    }
    throw error;
  }
  for (const name of names) {
    const file = path.join(pidDir(baseDir), name);
    const saved = await readPidFile(file);
    if (typeof saved === 'string') {
      if (saved !== 'gone') outcome.quarantined.push(await quarantine(file, saved));
      continue;
    }
    if (`${saved.owner}.json` !== name) {
      outcome.quarantined.push(await quarantine(file, `names owner ${saved.owner} but is the file of ${name}`));
      continue;
    }
    if (marker !== undefined && saved.marker !== marker) {
      outcome.quarantined.push(await quarantine(file, `marker is not this sandbox's instance script ${marker}`));
      continue;
    }
    if (saved.owner !== process.pid && isAlive(saved.owner)) continue;
    for (const pid of saved.children) {
      if (pid === process.pid || !isAlive(pid)) continue;
      if (!commandLine(pid)?.includes(saved.marker)) continue;
      process.kill(pid, 'SIGKILL');
      outcome.killed.push(pid);
    }
    await rm(file, { force: true });
  }
  return outcome;
}

/** The parsed file, 'gone' when it vanished meanwhile (its sandbox ended), or why it is not a pid file. */
async function readPidFile(file: string): Promise<PidFile | string> {
  const read = await readJsonFile(file);
  if (read === 'absent') return 'gone';
  if ('damaged' in read) return read.damaged;
  const parsed = PidFileShape.safeParse(read.json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `is not a sandbox pid file: ${issue?.path.map(String).join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`;
  }
  return parsed.data;
}

async function quarantine(file: string, why: string): Promise<string> {
  const aside = `${file}.quarantined`;
  await mkdir(path.dirname(file), { recursive: true });
  await rm(aside, { recursive: true, force: true });
  await rename(file, aside);
  return `${file} ${why}; moved to ${aside} and no process was killed (delete it once you have looked)`;
}
