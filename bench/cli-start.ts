// Figure 7: how long the `shaketable` command takes to start, as a user runs it (`node bin/shaketable.js …`, the
// compiled CLI in dist/), against `node -e 0`: medians of interleaved runs, so machine noise hits both alike.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildCli } from '../scripts/build-cli.js';
import { median } from './table.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const LAUNCHER = join(ROOT, 'bin/shaketable.js');
export const CLI_START_FILE = 'experiments/checkout-instance-loss.yaml';

export const CLI_START_COMMANDS = {
  '--version': ['--version'],
  'validate of one file': ['validate', CLI_START_FILE],
} as const;

export interface CliStartBench {
  runs: number;
  nodeBaselineMs: number;
  commands: Array<{ command: string; argv: readonly string[]; ms: number; ratio: number }>;
}

async function timed(args: readonly string[]): Promise<number> {
  const started = performance.now();
  await promisify(execFile)(process.execPath, [...args], { cwd: ROOT });
  return performance.now() - started;
}

export async function benchCliStart(runs: number): Promise<CliStartBench> {
  await buildCli(); // what `npm ci` leaves, from the sources as they are now
  const names = Object.keys(CLI_START_COMMANDS) as Array<keyof typeof CLI_START_COMMANDS>;
  const samples = new Map<string, number[]>([['node', []], ...names.map((n): [string, number[]] => [n, []])]);
  for (let i = 0; i < runs; i++) {
    samples.get('node')!.push(await timed(['-e', '0']));
    for (const name of names) samples.get(name)!.push(await timed([LAUNCHER, ...CLI_START_COMMANDS[name]]));
  }
  const nodeBaselineMs = median(samples.get('node')!);
  return {
    runs,
    nodeBaselineMs,
    commands: names.map((name) => {
      const ms = median(samples.get(name)!);
      return { command: name, argv: CLI_START_COMMANDS[name], ms, ratio: ms / nodeBaselineMs };
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await benchCliStart(Number(process.argv[2] ?? 11)), null, 2)}\n`);
}
