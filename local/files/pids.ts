// The pid file of the sandbox's child processes (`<base>/sandbox.pids.json`), so that a run killed before it could
// clean up (SIGKILL, a crash) does not leave demo instances behind: the next start kills them first.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_BASE_DIR, isErrno, writeFileAtomic } from './paths.js';

export interface PidFile {
  owner: number;
  /** a marker every child's command line contains, so that a recycled pid of an unrelated process is never killed */
  marker: string;
  children: number[];
}

export function pidFilePath(baseDir: string = DEFAULT_BASE_DIR): string {
  return path.join(baseDir, 'sandbox.pids.json');
}

export async function writePidFile(baseDir: string, content: PidFile): Promise<void> {
  await writeFileAtomic(pidFilePath(baseDir), `${JSON.stringify(content)}\n`);
}

export async function removePidFile(baseDir: string): Promise<void> {
  await rm(pidFilePath(baseDir), { force: true });
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

/** The command line of a process, from /proc on Linux, else from ps; undefined when it is gone. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
    if (process.platform === 'linux') return undefined;
  }
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim() || undefined;
  } catch (error) {
    if ((error as { status?: number }).status === 1) return undefined; // ps exits 1 when the pid does not exist
    throw error;
  }
}

/**
 * Kills the children listed by an earlier sandbox whose owner process is gone, when their command line still shows
 * the marker. Returns the pids it killed. A pid file of a sandbox that is still running is left alone.
 */
export async function cleanupStale(baseDir: string = DEFAULT_BASE_DIR): Promise<number[]> {
  let saved: PidFile;
  try {
    saved = JSON.parse(await readFile(pidFilePath(baseDir), 'utf8')) as PidFile;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
  if (saved.owner !== process.pid && isAlive(saved.owner)) return [];
  const killed: number[] = [];
  for (const pid of saved.children) {
    if (!isAlive(pid)) continue;
    if (!commandLine(pid)?.includes(saved.marker)) continue;
    process.kill(pid, 'SIGKILL');
    killed.push(pid);
  }
  await removePidFile(baseDir);
  return killed;
}
