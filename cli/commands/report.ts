// `shaketable report <result.json> [--html f]`: renders a run's result as its self-contained report.html (DESIGN §5),
// by default beside the result; a file that is not a valid result is refused with one line and exit 2.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { FileRefusedError } from '../../core/experiment/validate.js';
import { messageFor } from '../../core/experiment/zod-issues.js';
import { reportRenderer } from '../../core/report/chart-library.js';
import { escapeControls } from '../../core/report/format.js';
import { allChecks, Result } from '../../core/result/model.js';
import { MAX_RESULT_BYTES } from '../../core/result/validate.js';
import { UserError } from '../errors.js';
import { readRegularFile } from '../experiment-file.js';
import type { CliContext } from '../main.js';

export const DEFAULT_REPORT_FILE = 'report.html';

/** Reads and validates a result.json; every way it can be wrong is a UserError naming the file. */
export async function readResultFile(file: string, cwd: string): Promise<Result> {
  let text: string;
  try {
    const bytes = await readRegularFile(resolve(cwd, file), MAX_RESULT_BYTES, {
      files: 'result files',
      are: 'JSON written by a run',
    });
    text = new TextDecoder().decode(bytes);
  } catch (error) {
    if (error instanceof FileRefusedError) throw new UserError(`${file}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: no such file`);
    if (code === 'EISDIR') throw new UserError(`${file}: is a folder; pass the result.json inside it`);
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`${file}: permission denied reading the file`);
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON (${(error as Error).message}); pass a result.json written by a run`);
  }
  const parsed = Result.safeParse(raw, { error: messageFor });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : '(top level)';
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    throw new UserError(
      `${file}: not a shaketable result: ${where}: ${issue?.message ?? 'invalid'}${more}; see schema/result.schema.json`,
    );
  }
  return parsed.data;
}

export function registerReportCommand(program: Command, context: CliContext): void {
  program
    .command('report')
    .description('render a run result (result.json) as a self-contained report.html')
    .argument('<result>', 'the result.json of a run')
    .option('--html <file>', `where to write the page (default: ${DEFAULT_REPORT_FILE} beside the result)`)
    .option('--json', 'print {runId, experiment, verdict, reasons[], failedChecks[], report} as JSON')
    .addHelpText(
      'after',
      '\nPrints the verdict and its reasons, and writes the page.\n\nExamples:\n  npx shaketable report .shaketable/runs/local-instance-loss/<runId>/result.json\n  npx shaketable report result.json --html /tmp/report.html --json',
    )
    .action(async (file: string, options: { html?: string; json?: boolean }) => {
      const result = await readResultFile(file, context.cwd);
      const target = resolve(context.cwd, options.html ?? join(dirname(file), DEFAULT_REPORT_FILE));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, reportRenderer()(result));
      const summary = reportSummary(result, target);
      if (options.json) context.io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      else context.io.stdout(formatReportSummary(summary));
      context.exitCode = 0;
    });
}

export interface ReportSummary {
  runId: string;
  experiment: string;
  verdict: Result['verdict'];
  reasons: string[];
  /** the checks that did not hold, preflight first: name and message */
  failedChecks: Array<{ name: string; message: string }>;
  report: string;
}

export function reportSummary(result: Result, report: string): ReportSummary {
  const failed = allChecks(result).filter((check) => !check.ok);
  return {
    runId: result.runId,
    experiment: result.experiment,
    verdict: result.verdict,
    reasons: result.reasons,
    failedChecks: failed.map(({ name, message }) => ({ name, message })),
    report,
  };
}

export function formatReportSummary(summary: ReportSummary): string {
  const lines = [`${summary.verdict}  ${summary.experiment}  ${summary.runId}`];
  for (const reason of summary.reasons) lines.push(`  - ${reason}`);
  for (const check of summary.failedChecks) lines.push(`  ✗ ${check.name}: ${check.message}`);
  lines.push(`report: ${summary.report}`);
  // result.json is input: a name holding `\x1b[2J` is shown escaped, not obeyed by the terminal.
  return `${lines.map((line) => escapeControls(line)).join('\n')}\n`;
}
