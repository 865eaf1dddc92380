// The compiled CLI (scripts/build-cli.ts → dist/, run by bin/shaketable.js): it starts without the AWS SDK or the
// sandbox, finds its files from dist/, and says in one line what to do when it was never built.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import { startupPackages } from '../../../scripts/build-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = (args: string[], cwd = ROOT) =>
  promisify(execFile)(process.execPath, args, { cwd }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('the compiled CLI', () => {
  it('is what the launcher runs, and prints the package version', async () => {
    const { code, stdout } = await run([join(ROOT, 'bin/shaketable.js'), '--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(packageJson.version);
  });

  it('loads neither the AWS SDK nor the sandbox engine nor date-holidays when it starts', async () => {
    const packages = await startupPackages();
    expect(packages.length).toBeGreaterThan(0); // node's own modules at least: the walk found the imports
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([]);
  });

  it('finds the starters, the schema and the state machine from dist/ (new writes a file that validates)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shaketable-build-'));
    try {
      const out = join(dir, 'x.yaml');
      const made = await run([
        join(ROOT, 'bin/shaketable.js'),
        'new',
        'build-check',
        '--from',
        'cpu-stress',
        '--out',
        out,
      ]);
      expect(made.code, made.stderr).toBe(0);
      expect(await readFile(out, 'utf8')).toMatch(/^name: build-check$/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('never built', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'shaketable-unbuilt-'));
      await cp(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('says in one line to run npm run build, without a stack trace', async () => {
      const { code, stdout, stderr } = await run([join(dir, 'bin/shaketable.js'), '--version'], dir);
      expect(code).toBe(4);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'error: the shaketable CLI is not built (no dist/main.js): run `npm run build` (npm ci runs it)\n',
      );
    });
  });
});
