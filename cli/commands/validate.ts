// `shaketable validate [files…]`: checks experiment files (default experiments/**/*.yaml) and prints every
// issue as `file:line:col  path  message`, or a JSON array with --json; exit 0 when all are valid, 2 otherwise.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatIssue, type ValidationIssue } from '../../core/experiment/issues.js';
import { PLACEHOLDER } from '../../core/experiment/placeholders.js';
import { type FileReport, validateFiles } from '../../core/experiment/validate.js';
import { INVALID_INPUT_EXIT_CODE, UserError } from '../errors.js';
import { readExperimentBytes } from '../experiment-file.js';
import type { CliContext } from '../main.js';

export const DEFAULT_CATALOG = 'experiments';
const EXPERIMENT_FILE = /\.ya?ml$/;

export function registerValidateCommand(program: Command, context: CliContext): void {
  program
    .command('validate')
    .description('validate experiment files: every error at once, as file:line:col  path  message')
    .argument('[files...]', `experiment files or folders (default: ${DEFAULT_CATALOG}/**/*.yaml)`)
    .option('--json', 'print a JSON array of {file, valid, errors[], warnings[]} instead of text')
    .option('--strict', `count warnings (unfinished ${PLACEHOLDER} placeholders) as errors, as synth does`)
    .addHelpText(
      'after',
      `\nA file that still holds a ${PLACEHOLDER} placeholder (as \`new\` writes it) is valid, with a warning per placeholder:\nsynth refuses to deploy it. --strict makes them errors.\n\nExit code: 0 when every file is valid, 2 when any is not.\n\nExamples:\n  npx shaketable validate\n  npx shaketable validate experiments/checkout-instance-loss.yaml --json\n  npx shaketable validate experiments/local\n  npx shaketable validate --strict`,
    )
    .action(async (files: string[], options: { json?: boolean; strict?: boolean }) => {
      const { paths, catalog } = await experimentFiles(files, context.cwd);
      const read = await validateFiles(paths, (path) => readExperimentBytes(resolve(context.cwd, path)), { catalog });
      const reports = options.strict ? read.map(strict) : read;
      context.io.stdout(options.json ? `${JSON.stringify(toJson(reports), null, 2)}\n` : toText(reports));
      context.exitCode = reports.every((r) => r.valid) ? 0 : INVALID_INPUT_EXIT_CODE;
    });
}

/** --strict: a file's warnings become errors (and the file invalid), as synth treats them. */
function strict(report: FileReport): FileReport {
  if (report.warnings.length === 0) return report;
  const { experiment: _, ...rest } = report;
  const issues = [...report.issues, ...report.warnings].sort(byPosition);
  return { ...rest, valid: false, issues, warnings: [] };
}

function byPosition(a: ValidationIssue, b: ValidationIssue): number {
  return a.line - b.line || a.col - b.col;
}

/** The machine-readable form of `--json`: positions and paths exactly as in the text output. */
export function toJson(reports: readonly FileReport[]) {
  const entry = ({ line, col, path, message }: ValidationIssue) => ({ line, col, path, message });
  return reports.map((r) => ({
    file: r.file,
    valid: r.valid,
    errors: r.issues.map(entry),
    warnings: r.warnings.map(entry),
  }));
}

function toText(reports: readonly FileReport[]): string {
  const lines = reports.flatMap((r) =>
    [...r.issues, ...r.warnings.map((w) => ({ ...w, message: `warning: ${w.message}` }))]
      .sort(byPosition)
      .map(formatIssue),
  );
  const invalid = reports.filter((r) => !r.valid).length;
  const errors = reports.reduce((n, r) => n + r.issues.length, 0);
  const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const summary =
    invalid === 0
      ? `${count(reports.length, 'file')} valid`
      : `${invalid} of ${count(reports.length, 'file')} invalid (${count(errors, 'error')})`;
  lines.push(
    warnings === 0
      ? summary
      : `${summary}; ${count(warnings, 'warning')}: replace the ${PLACEHOLDER} placeholders before deploying (synth refuses them; --strict fails on them)`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The files to validate: those given (folders searched recursively), or the catalog folder by default. A folder is
 * a catalog: its `guardrails.requires` must name its own experiments.
 */
async function experimentFiles(args: readonly string[], cwd: string): Promise<{ paths: string[]; catalog: boolean }> {
  if (args.length === 0) {
    const found = await findExperimentFiles(DEFAULT_CATALOG, cwd).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw error;
    });
    if (found.length === 0) {
      throw new UserError(`no experiment files found under ${DEFAULT_CATALOG}/; pass the files to validate`);
    }
    return { paths: found, catalog: true };
  }
  const paths: string[] = [];
  let catalog = false;
  for (const arg of args) {
    const info = await stat(resolve(cwd, arg)).catch(() => undefined);
    // A path that does not exist stays in the list: validateFiles reports it as that file's issue.
    if (info?.isDirectory()) catalog = true;
    paths.push(...(info?.isDirectory() ? await findExperimentFiles(arg, cwd) : [arg]));
  }
  return { paths: await distinctFiles(paths, cwd), catalog };
}

/**
 * Each file once, as first named: `experiments experiments/local`, `./x.yaml x.yaml` or a symlink name one file
 * twice, which would otherwise be validated twice and reported as a duplicate experiment name.
 */
async function distinctFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const seen = new Set<string>();
  const distinct: string[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const identity = await realpath(absolute).catch(() => absolute); // a missing file is reported later, once
    if (seen.has(identity)) continue;
    seen.add(identity);
    distinct.push(path);
  }
  return distinct;
}

/** `dir/**\/*.yaml` (and .yml), sorted; fs.globSync is not in Node 20, so a recursive readdir. */
export async function findExperimentFiles(dir: string, cwd: string): Promise<string[]> {
  const root = resolve(cwd, dir);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && EXPERIMENT_FILE.test(e.name))
    .map((e) => relative(cwd, join(e.parentPath ?? root, e.name)))
    .sort();
}
