// A sandbox's instances never outlive the process that started them: not on SIGINT, SIGTERM, nor SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../../local/files/pids.js';

const HOLDER = fileURLToPath(new URL('./fixtures/hold-sandbox.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let base: string;
let holder: ChildProcess | undefined;
let pids: number[] = [];
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'shaketable-guard-'));
});
afterEach(async () => {
  holder?.kill('SIGKILL');
  for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  pids = [];
  await rm(base, { recursive: true, force: true });
});

/** Starts the holder and resolves with its instance pids once the sandbox runs. */
function startHolder(): Promise<{ child: ChildProcess; pids: number[]; lines: string[] }> {
  // `node --import tsx`, not the tsx CLI: the CLI runs the program in a grandchild, which a signal would not reach.
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, base], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  holder = child;
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        lines.push(line);
        const parsed = JSON.parse(line) as { pids?: number[] };
        if (parsed.pids) {
          pids = parsed.pids;
          resolve({ child, pids: parsed.pids, lines });
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`holder exited with ${code} before starting: ${stderr}`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function allGone(list: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (list.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return list.filter(isAlive);
}

describe('process guard', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s runs the hook, stops every instance and exits with %i', async (signal, code) => {
    const { child, pids: started, lines } = await startHolder();
    expect(started).toHaveLength(3);
    expect(started.every(isAlive)).toBe(true);
    const exited = exitOf(child);
    child.kill(signal);
    expect((await exited).code).toBe(code);
    expect(lines).toContain(JSON.stringify({ signal }));
    expect(await allGone(started, 1000)).toEqual([]);
  });

  it('on SIGKILL of the owner the instances exit by themselves (their IPC channel closes)', async () => {
    const { child, pids: started } = await startHolder();
    const exited = exitOf(child);
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    expect(await allGone(started, 2000)).toEqual([]);
  });
});
