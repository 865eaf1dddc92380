// Killing the sandbox's runner — SIGINT, SIGTERM or SIGKILL — leaves no orphan process once the next sandbox has
// started in the same folder, even an instance too wedged to notice its parent died; and ports in use never block
// a start (everything binds an ephemeral port on 127.0.0.1).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, pidFilePath } from '../../local/files/pids.js';
import { type Sandbox, startSandbox } from '../../local/sandbox.js';
import { localExperiment } from '../unit/local/fixtures.js';
import { until } from './failures.js';

const HOLDER = fileURLToPath(new URL('../e2e/sandbox/fixtures/hold-sandbox.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A folder for one sandbox, removed after the test. */
async function baseDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shaketable-orphans-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every pid, SIGKILLed (and SIGCONTed, in case it was stopped) after the test whatever happened. */
function reap(pids: number[]): void {
  cleanups.push(() => {
    for (const pid of pids.filter(isAlive)) {
      process.kill(pid, 'SIGKILL');
    }
  });
}

/** The runner: a separate process holding a sandbox with the process guard, as `shaketable run --local` does. */
async function startRunner(dir: string): Promise<{ child: ChildProcess; pids: number[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => void child.kill('SIGKILL'));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const pids = await new Promise<number[]>((resolve, reject) => {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        const parsed = JSON.parse(line) as { pids?: number[] };
        if (parsed.pids) resolve(parsed.pids);
      }
    });
    child.once('exit', (code) => reject(new Error(`runner exited with ${code} before its sandbox ran: ${stderr}`)));
  });
  reap(pids);
  return { child, pids };
}

async function started(dir: string): Promise<Sandbox> {
  const sandbox = await startSandbox(localExperiment(), { baseDir: dir });
  cleanups.push(() => sandbox.stop());
  reap(sandbox.supervisor.pids());
  return sandbox;
}

describe('no orphan after the runner is killed', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)(
    'after %s of the runner, the next start leaves no process of the old sandbox alive',
    async (signal) => {
      const dir = await baseDir();
      const { child, pids: old } = await startRunner(dir);
      expect(old.every(isAlive)).toBe(true);
      // One instance is wedged (stopped): it cannot react to its parent's death, nor to the closing IPC channel.
      const wedged = old[0]!;
      process.kill(wedged, 'SIGSTOP');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
      if (signal === 'SIGKILL') {
        // Nobody cleaned up: the wedged instance outlives its runner, and the pid file still names it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(isAlive(wedged)).toBe(true);
        expect(existsSync(pidFilePath(dir, child.pid))).toBe(true);
      }

      const next = await started(dir);
      await until(() => old.every((pid) => !isAlive(pid)), 3000, `the old sandbox's instances ${old} to be gone`);
      expect(next.supervisor.pids().every(isAlive)).toBe(true);
      expect(next.supervisor.pids().some((pid) => old.includes(pid))).toBe(false);
      await until(() => next.balancer.healthyCount() === 3, 5000, 'three healthy instances');

      const mine = next.supervisor.pids();
      await next.stop();
      expect(mine.filter(isAlive)).toEqual([]);
      expect(existsSync(pidFilePath(dir, child.pid))).toBe(false);
      expect(existsSync(pidFilePath(dir))).toBe(false);
    },
  );
});

describe('ports in use', () => {
  it('starts beside a busy port and beside another running sandbox, on ports of its own', async () => {
    // A listener the user already runs on loopback.
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const busyPort = (busy.address() as { port: number }).port;

    const [a, b] = await Promise.all([baseDir().then(started), baseDir().then(started)]);
    const ports = [a.balancer.port, b.balancer.port];
    expect(new Set([...ports, busyPort]).size).toBe(3);
    await until(
      () => a.balancer.healthyCount() === 3 && b.balancer.healthyCount() === 3,
      5000,
      'both sandboxes healthy',
    );
    // Starting b did not touch a's instances (its stale cleanup reads only its own folder).
    expect(a.supervisor.pids().every(isAlive)).toBe(true);
  });
});
