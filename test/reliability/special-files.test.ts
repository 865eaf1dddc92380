// Special files given as experiment files, through the real CLI: `/dev/zero` (a character device that never ends), a
// FIFO nobody writes to, a file over the 1 MB cap. Each is refused from its type or size before it is read: one
// issue line naming the file, exit 2, within seconds (before the fix `validate /dev/zero` grew to 5.5 GB and a FIFO
// blocked forever). Every CLI started is SIGKILLed after each test, whatever happened.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../core/experiment/load.js';
import { experimentFolder, killAll, SHORT_EXPERIMENT, startCli } from './sandbox-cli.js';

afterEach(killAll);

let folder: Awaited<ReturnType<typeof experimentFolder>>;
let fifo: string;
beforeEach(async () => {
  folder = await experimentFolder('special');
  fifo = path.join(folder.dir, 'pipe.yaml');
  execFileSync('mkfifo', [fifo]);
});
afterEach(() => folder.remove());

/** Runs the CLI to its end, or fails (and the afterEach kills it) after `timeoutMs`. */
async function cli(args: string[], timeoutMs = 20_000) {
  const run = startCli(args, folder.dir);
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    run.exit,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`shaketable ${args.join(' ')} did not end within ${timeoutMs} ms`)),
        timeoutMs,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  return { ...exit, stdout: run.stdout(), stderr: run.stderr() };
}

const DEVICE = 'is a character device, not a regular file; experiment files are YAML files';
const PIPE = 'is a FIFO (named pipe), not a regular file; experiment files are YAML files';
const issue = (file: string, message: string) => `${file}:1:1  (file)  ${message}`;

describe('validate refuses special files from their type, before reading', () => {
  it('/dev/zero: one issue line, exit 2', async () => {
    const { code, stdout, stderr } = await cli(['validate', '/dev/zero']);
    expect({ code, stderr }).toEqual({ code: 2, stderr: '' });
    expect(stdout).toBe(`${issue('/dev/zero', DEVICE)}\n1 of 1 file invalid (1 error)\n`);
  });

  it('a FIFO nobody writes to: one issue line, exit 2, no hang', async () => {
    const { code, stdout, stderr } = await cli(['validate', 'pipe.yaml']);
    expect({ code, stderr }).toEqual({ code: 2, stderr: '' });
    expect(stdout).toBe(`${issue('pipe.yaml', PIPE)}\n1 of 1 file invalid (1 error)\n`);
  });

  it('a FIFO inside a searched folder is not taken for an experiment file (no hang)', async () => {
    await mkdir(path.join(folder.dir, 'experiments'));
    execFileSync('mkfifo', [path.join(folder.dir, 'experiments', 'stuck.yaml')]);
    await writeFile(path.join(folder.dir, 'experiments', 'short.yaml'), SHORT_EXPERIMENT);
    const { code, stdout } = await cli(['validate']);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '1 file valid\n' });
  });

  it('a regular file over the 1 MB cap: refused from its size', async () => {
    await writeFile(path.join(folder.dir, 'big.yaml'), `# ${'x'.repeat(MAX_FILE_BYTES)}\n`);
    const { code, stdout } = await cli(['validate', 'big.yaml']);
    expect(code).toBe(2);
    expect(stdout).toBe(
      `${issue('big.yaml', 'file is 1.0 MB; experiment files are limited to 1.0 MB')}\n1 of 1 file invalid (1 error)\n`,
    );
  });
});

describe('run --local refuses special files before any sandbox starts', () => {
  it.each([
    ['/dev/zero', DEVICE],
    ['pipe.yaml', PIPE],
  ])('%s: one line, exit 2', async (file, message) => {
    const { code, stdout, stderr } = await cli(['run', file, '--local']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(`${issue(file, message)}\n`);
  });
});
