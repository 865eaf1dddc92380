// The help and the README never lie: every command (and the top level) has --help with an example, and every
// `npx shaketable …` line of the README and of the --help examples is a valid command line (its command exists,
// its options are that command's, its arguments fit). Those that work offline are run, in a copy of the catalog:
// each must exit as the documented line implies, never with a usage error.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliContext, createProgram } from '../../../cli/main.js';
import { cli, ROOT } from '../../support/cli.js';

const program = createProgram({
  io: { stdout: () => undefined, stderr: () => undefined },
  cwd: ROOT,
  exitCode: 0,
} as CliContext);
const COMMANDS = program.commands.map((c) => c.name());

/** A documented command line as argv: words, "double" or 'single' quoted strings; a trailing `# comment` dropped. */
function argvOf(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g)) {
    if (match[3] !== undefined) break;
    words.push(match[1] ?? match[2] ?? match[4]!);
  }
  return words.slice(2); // npx shaketable
}

/** The reasons `argv` would not parse as documented (empty when it would). */
function misuse(argv: readonly string[]): string[] {
  const [name, ...rest] = argv;
  if (name === undefined || name.startsWith('-')) return [];
  const command = program.commands.find((c) => c.name() === name);
  if (!command) return [`unknown command "${name}"`];
  const problems: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const option = optionOf(command, word) ?? optionOf(program, word);
    if (!option) problems.push(`${name}: unknown option ${word}`);
    else if (option.required || option.optional) i++; // takes a value
  }
  const args = (command as unknown as { registeredArguments: Array<{ required: boolean; variadic: boolean }> })
    .registeredArguments;
  const required = args.filter((a) => a.required).length;
  const variadic = args.some((a) => a.variadic);
  if (positional.length < required) problems.push(`${name}: needs ${required} argument(s), got ${positional.length}`);
  if (!variadic && positional.length > args.length)
    problems.push(`${name}: too many arguments (${positional.join(' ')})`);
  return problems;
}

function optionOf(command: Command, flag: string) {
  if (flag === '--help') return { required: false, optional: false };
  return command.options.find((o) => o.long === flag);
}

async function helpExamples(): Promise<string[]> {
  const lines: string[] = [];
  for (const name of ['', ...COMMANDS]) {
    const { stdout } = await cli(name ? [name, '--help'] : ['--help']);
    lines.push(
      ...stdout
        .split('\n')
        .filter((l) => /^ {2}npx shaketable /.test(l))
        .map((l) => l.trim()),
    );
  }
  return lines;
}

async function readmeCommands(): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  return readme
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('npx shaketable '));
}

describe('--help', () => {
  it.each(['(top level)', ...COMMANDS])('of %s shows usage and an npx shaketable example', async (name) => {
    const { code, stdout } = await cli(name === '(top level)' ? ['--help'] : [name, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: shaketable /);
    expect(stdout).toMatch(/Examples?:\n {2}npx shaketable /);
    expect(stdout).not.toMatch(/\$ shaketable /);
  });
});

describe('every documented command line', () => {
  it('in the README and in --help parses: known command, its own options, its arguments', async () => {
    const lines = [...(await readmeCommands()), ...(await helpExamples())];
    expect(lines.length).toBeGreaterThan(30);
    const wrong = lines.flatMap((line) => misuse(argvOf(line)).map((problem) => `${line}  →  ${problem}`));
    expect(wrong).toEqual([]);
    // and the check itself tells a wrong line from a right one
    expect(misuse(argvOf('npx shaketable validate --frobnicate'))).toEqual(['validate: unknown option --frobnicate']);
    expect(misuse(argvOf('npx shaketable status'))).toEqual(['status: needs 1 argument(s), got 0']);
    expect(misuse(argvOf('npx shaketable levitate'))).toEqual(['unknown command "levitate"']);
  });

  describe('that works offline', () => {
    let cwd: string;
    beforeAll(async () => {
      cwd = await mkdtemp(join(tmpdir(), 'shaketable-examples-'));
      await cp(join(ROOT, 'experiments'), join(cwd, 'experiments'), { recursive: true });
    });
    afterAll(() => rm(cwd, { recursive: true, force: true }));

    // validate, new, and the sandbox's kill switch and ledger; `run --local` is run by test/e2e/local.
    const offline = (argv: readonly string[]) =>
      ['validate', 'new'].includes(argv[0] ?? '') ||
      (['halt', 'resume', 'history'].includes(argv[0] ?? '') && argv.includes('--local'));

    it('runs as documented, in a copy of the catalog', async () => {
      const lines = [...(await readmeCommands()), ...(await helpExamples())];
      const runnable = lines.map(argvOf).filter(offline);
      expect(runnable.map((a) => a[0])).toEqual(
        expect.arrayContaining(['validate', 'new', 'halt', 'resume', 'history']),
      );
      for (const argv of runnable) {
        const { code, stderr } = await cli(argv, cwd);
        // validate --strict of the catalog with a fresh starter in it fails on purpose: exit 2 with no usage error.
        const strictAfterNew = argv[0] === 'validate' && argv.includes('--strict');
        expect({ argv, code, stderr }).toEqual({ argv, code: strictAfterNew ? code : 0, stderr: '' });
      }
    });
  });
});
