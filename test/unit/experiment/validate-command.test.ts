// `shaketable validate` end to end: in-process through runCli for the cases, and once through the real
// launcher (bin/shaketable.js) for the process exit codes and the absence of stack traces.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT as root } from '../../support/cli.js';

describe('shaketable validate', () => {
  it('validates the whole catalog by default and exits 0', async () => {
    const { code, stdout } = await cli(['validate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ files valid\n$/);
  });

  it('prints every issue as file:line:col  path  message and exits 2', async () => {
    const { code, stdout } = await cli(['validate', 'test/fixtures/invalid/many-errors.yaml', 'experiments/local']);
    expect(code).toBe(2);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe(
      'test/fixtures/invalid/many-errors.yaml:13:9  fault.template.targets.web.color  unknown key "color" (allowed: resourceType, resourceArns, resourceTags, filters, parameters, selectionMode)',
    );
    expect(lines[6]).toBe('1 of 12 files invalid (6 errors)');
  });

  it('warns about unfinished REPLACE-ME placeholders (exit 0); --strict makes them errors (exit 2)', async () => {
    const file = 'test/fixtures/catalog-placeholders/unfinished-instance-loss.yaml';
    const warned = await cli(['validate', file]);
    expect(warned.code).toBe(0);
    const lines = warned.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[2]).toBe(
      `${file}:20:25  fault.template.targets.instances.resourceTags.app  warning: unfinished placeholder "REPLACE-ME-app": put your value here (the line's "# EDIT:" note says which)`,
    );
    expect(lines.at(-1)).toBe(
      '1 file valid; 10 warnings: replace the REPLACE-ME placeholders before deploying (synth refuses them; --strict fails on them)',
    );
    const strict = await cli(['validate', '--strict', file]);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toContain(
      `${file}:20:25  fault.template.targets.instances.resourceTags.app  unfinished placeholder`,
    );
    expect(strict.stdout).toMatch(/\n1 of 1 file invalid \(10 errors\)\n$/);
    const json = JSON.parse((await cli(['validate', '--json', file])).stdout);
    expect(json[0]).toMatchObject({ valid: true, errors: [] });
    expect(json[0].warnings).toHaveLength(10);
    // A comment holding the placeholder (the starter's commented runbook line) is not a warning.
    expect(json[0].warnings.map((w: { line: number }) => w.line)).not.toContain(8);
  });

  it('prints a JSON array with --json', async () => {
    const { code, stdout } = await cli([
      'validate',
      '--json',
      'test/fixtures/invalid/cron-both-days.yaml',
      'experiments/orders-task-loss.yaml',
    ]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual([
      {
        file: 'test/fixtures/invalid/cron-both-days.yaml',
        valid: false,
        errors: [
          {
            line: 21,
            col: 3,
            path: 'schedule.expression',
            message: expect.stringContaining('exactly one of day-of-month'),
          },
        ],
        warnings: [],
      },
      { file: 'experiments/orders-task-loss.yaml', valid: true, errors: [], warnings: [] },
    ]);
  });

  it('validates a file named twice once: overlapping folders, ./x.yaml and x.yaml, a symlink', async () => {
    const all = await cli(['validate', 'experiments']);
    const count = Number(/^(\d+) files valid$/m.exec(all.stdout)?.[1]);
    expect(count).toBeGreaterThan(1);
    const overlapping = await cli([
      'validate',
      'experiments',
      'experiments/local',
      './experiments/orders-task-loss.yaml',
      'experiments/orders-task-loss.yaml',
    ]);
    expect(overlapping).toEqual({ code: 0, stdout: `${count} files valid\n`, stderr: '' });

    const dir = await mkdtemp(join(tmpdir(), 'shaketable-validate-link-'));
    try {
      await symlink(join(root, 'experiments/orders-task-loss.yaml'), join(dir, 'link.yaml'));
      const linked = await cli(['validate', join(dir, 'link.yaml'), 'experiments/orders-task-loss.yaml']);
      expect(linked).toEqual({ code: 0, stdout: '1 file valid\n', stderr: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('still reports two different files with the same experiment name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shaketable-validate-twins-'));
    try {
      const text = await readFile(join(root, 'experiments/orders-task-loss.yaml'), 'utf8');
      await writeFile(join(dir, 'a.yaml'), text);
      await writeFile(join(dir, 'b.yaml'), text);
      const { code, stdout } = await cli(['validate', dir, join(dir, 'a.yaml')]);
      expect(code).toBe(2);
      expect(stdout).toMatch(/name "orders-task-loss" is also used by .*b\.yaml; names must be unique/);
      expect(stdout).toMatch(/^2 of 2 files invalid \(2 errors\)$/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing file as an issue of that file', async () => {
    const { code, stdout } = await cli(['validate', 'experiments/nope.yaml']);
    expect(code).toBe(2);
    expect(stdout).toContain('experiments/nope.yaml:1:1  (file)  file not found');
  });

  it('exits 2 on an unknown flag with one line, and 0 for --help', async () => {
    const bad = await cli(['validate', '--jsn']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe("error: unknown option '--jsn'");
    const help = await cli(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--json');
  });

  describe('in a folder without a catalog', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'shaketable-validate-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('says there is nothing to validate and exits 2', async () => {
      const { code, stderr } = await cli(['validate'], dir);
      expect(code).toBe(2);
      expect(stderr).toBe('error: no experiment files found under experiments/; pass the files to validate\n');
    });

    it('finds .yaml files in nested folders', async () => {
      await mkdir(join(dir, 'experiments', 'team', 'deep'), { recursive: true });
      await writeFile(join(dir, 'experiments', 'team', 'deep', 'x.yaml'), 'version: 1\n');
      await writeFile(join(dir, 'experiments', 'notes.txt'), 'not an experiment');
      const { code, stdout } = await cli(['validate', '--json'], dir);
      expect(code).toBe(2);
      expect(JSON.parse(stdout).map((r: { file: string }) => r.file)).toEqual(['experiments/team/deep/x.yaml']);
    });
  });
});

describe('the shaketable launcher', () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [join(root, 'bin/shaketable.js'), ...args], { cwd: root }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('exits 2 with one-line errors and no stack trace for invalid files and bad flags', async () => {
    const invalid = await run(['validate', 'test/fixtures/invalid/yaml-syntax.yaml']);
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toContain('test/fixtures/invalid/yaml-syntax.yaml:40:3  expect.recovery  YAML: ');
    expect(invalid.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    const flag = await run(['validate', '--nope']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('exits 0 for --help and a valid file', async () => {
    expect((await run(['--help'])).code).toBe(0);
    const valid = await run(['validate', 'experiments/local/local-instance-loss.yaml']);
    expect(valid).toMatchObject({ code: 0, stdout: '1 file valid\n' });
  });
});
