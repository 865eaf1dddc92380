// Figure 5: the local demo as a user runs it (`shaketable run <file> --local --json` in a child process): its wall
// time against the sum of the experiment's own durations (baseline + observe + recovery), and the peak resident
// memory of the runner and every process it starts, sampled from /proc every 200 ms.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { durationSeconds } from '../core/duration.js';
import { experimentFromText } from '../core/experiment/validate.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DEMO_FILE = 'experiments/local/local-instance-loss.yaml';
const SAMPLE_MS = 200;
const TIME_LIMIT_MS = 120_000;

export type DemoFigures =
  | {
      measured: true;
      file: string;
      verdict: string;
      exitCode: number;
      wallSeconds: number;
      ownSeconds: { baseline: number; observe: number; recovery: number; total: number };
      overheadSeconds: number;
      peakRssBytes: number;
      peakProcesses: number;
    }
  | { measured: false; file: string; reason: string };

/** The experiment's own durations: what any run of it must wait, whatever runs it. */
export async function ownDurations(file: string) {
  const experiment = experimentFromText(await readFile(join(ROOT, file), 'utf8'), file);
  const baseline = durationSeconds(experiment.steadyState.baseline);
  const observe = experiment.fault.observe
    ? durationSeconds(experiment.fault.observe)
    : 5 * durationSeconds(experiment.steadyState.period);
  const recovery = experiment.expect.recovery ? durationSeconds(experiment.expect.recovery) : 0;
  return { baseline, observe, recovery, total: baseline + observe + recovery };
}

/** pid → parent pid for every process now (a process may vanish while it is read: it is then skipped). */
async function parents(): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // the command name is in parentheses and may hold spaces: ppid is the second field after it
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.set(Number(name), ppid);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ESRCH')
        throw error;
    }
  }
  return out;
}

async function rssOfTree(root: number): Promise<{ bytes: number; processes: number }> {
  const tree = await parents();
  const members = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of tree) {
      if (!members.has(pid) && members.has(ppid)) {
        members.add(pid);
        grew = true;
      }
    }
  }
  let bytes = 0;
  for (const pid of members) {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (kb) bytes += Number(kb[1]) * 1024;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ESRCH')
        throw error;
    }
  }
  return { bytes, processes: members.size };
}

export async function benchDemo(file = DEMO_FILE): Promise<DemoFigures> {
  const own = await ownDurations(file);
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/shaketable.js'), 'run', file, '--local', '--json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let peak = { bytes: 0, processes: 0 };
  let sampling = Promise.resolve();
  const sampler = setInterval(() => {
    if (child.pid === undefined) return;
    const pid = child.pid;
    sampling = sampling.then(async () => {
      const now = await rssOfTree(pid);
      if (now.bytes > peak.bytes) peak = now;
    });
  }, SAMPLE_MS);
  const limit = setTimeout(() => child.kill('SIGINT'), TIME_LIMIT_MS);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearTimeout(limit);
  await sampling;

  const lastLine = (text: string) =>
    text
      .trim()
      .split('\n')
      .filter((l) => l.trim())
      .at(-1) ?? '';
  let verdict: string | undefined;
  try {
    verdict = (JSON.parse(stdout) as { verdict?: string }).verdict;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  if (verdict === undefined) {
    const why = lastLine(stderr) || lastLine(stdout) || `exit code ${exitCode}`;
    return {
      measured: false,
      file,
      reason: `the demo ended without a result (exit ${exitCode}): ${why.slice(0, 200)}`,
    };
  }
  return {
    measured: true,
    file,
    verdict,
    exitCode,
    wallSeconds,
    ownSeconds: own,
    overheadSeconds: wallSeconds - own.total,
    peakRssBytes: peak.bytes,
    peakProcesses: peak.processes,
  };
}
