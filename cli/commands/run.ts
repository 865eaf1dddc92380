// `shaketable run <file|name> --local`: a real experiment in the embedded sandbox, through the same state machine
// as AWS; prints live progress, the verdict, its reasons and where result.json and report.html are; exits per §3.
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import pc from 'picocolors';
import { type Experiment, VERDICTS, type Verdict } from '../../core/experiment/schema.js';
import { formatSeconds } from '../../core/report/format.js';
import { exitCodeFor, type Result } from '../../core/result/model.js';
import { rampSummary } from '../../core/result/ramp.js';
import type { ProgressLine } from '../../local/runner.js';
import { UserError } from '../errors.js';
import { resolveExperiment } from '../experiment-file.js';
import type { CliContext } from '../main.js';

export interface RunOptions {
  local?: boolean;
  allow?: Verdict[];
  json?: boolean;
  junit?: string;
  summary?: string;
  wait?: boolean;
  dryRun?: boolean;
  pipeline?: boolean;
  stack?: string;
  region?: string;
  profile?: string;
}

export function parseAllow(value: string, previous: Verdict[] = []): Verdict[] {
  const verdicts = value
    .split(',')
    .map((v) => v.trim().toUpperCase())
    .filter(Boolean);
  for (const v of verdicts) {
    if (!(VERDICTS as readonly string[]).includes(v)) {
      throw new UserError(`--allow: "${v}" is not a verdict; use any of ${VERDICTS.join(', ').toLowerCase()}`);
    }
  }
  return [...previous, ...(verdicts as Verdict[])];
}

export function registerRunCommand(program: Command, context: CliContext): void {
  program
    .command('run')
    .description('run an experiment on AWS through the deployed state machine, or --local in the embedded sandbox')
    .argument('<experiment>', 'a catalog experiment name (AWS), or a file or name under experiments/ (--local)')
    .option('--local', 'run in the embedded sandbox on 127.0.0.1 (provider: local experiments; no AWS account)')
    .option('--wait', 'AWS: follow the execution live and exit per the verdict')
    .option('--dry-run', 'run preflight and the baseline only; inject nothing (verdict SKIPPED), on AWS or --local')
    .option('--pipeline', 'AWS: mark the run as a pipeline stage (gated); the default when CI=true')
    .option('--allow <verdicts>', 'verdicts that still exit 0, comma separated (e.g. degraded,skipped)', parseAllow)
    .option('--junit <file>', 'write a JUnit XML report (one testcase per check)')
    .option('--summary <file>', 'write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--json', 'print the outcome as JSON on stdout (progress goes to stderr)')
    .option('--stack <name>', 'AWS: the deployed shaketable stack (default: Shaketable)')
    .option('--region <region>', 'AWS: region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile region)')
    .option(
      '--profile <name>',
      'AWS: named profile for credentials and region, as in the AWS CLI (default: AWS_PROFILE)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npx shaketable run experiments/local/local-instance-loss.yaml --local\n  npx shaketable run local-latency-degraded --local --allow degraded --junit junit.xml\n  npx shaketable run local-instance-loss --local --dry-run --allow skipped\n  npx shaketable run checkout-instance-loss --wait --allow degraded --summary "$GITHUB_STEP_SUMMARY"',
    )
    .action(async (arg: string, options: RunOptions) => {
      if (!options.local) {
        // Loaded here: the AWS SDK clients are not needed by local runs, `validate` or `--help`.
        const { runOnAws, triggerFor } = await import('../aws/run.js');
        context.exitCode = await runOnAws(
          arg,
          {
            ...(options.wait ? { wait: true } : {}),
            ...(options.dryRun ? { dryRun: true } : {}),
            ...(options.allow ? { allow: options.allow } : {}),
            ...(options.junit ? { junit: options.junit } : {}),
            ...(options.summary ? { summary: options.summary } : {}),
            ...(options.stack ? { stack: options.stack } : {}),
            ...(options.region ? { region: options.region } : {}),
            ...(options.profile ? { profile: options.profile } : {}),
            ...(options.json ? { json: true } : {}),
            cwd: context.cwd,
            trigger: triggerFor(options.pipeline),
          },
          context.io,
        );
        return;
      }
      for (const flag of ['wait', 'pipeline', 'stack', 'region', 'profile'] as const) {
        if (options[flag] !== undefined)
          throw new UserError(`--${flag.replace('R', '-r')} applies to AWS runs, not --local`);
      }
      await runInSandbox(arg, options, context);
    });
}

/** A GameDay in the sandbox: the lines that tell the responders how to ack the run (its id chosen up front). */
export interface LocalGameDay {
  announce: (experiment: Experiment, runId: string) => string;
}

/**
 * `run --local` (and `gameday --local`): the experiment in the embedded sandbox, with live progress, the verdict and
 * where result.json and report.html are; the exit code per §3.
 */
export async function runInSandbox(
  arg: string,
  options: RunOptions,
  context: CliContext,
  gameday?: LocalGameDay,
): Promise<void> {
  const { experiment } = await resolveExperiment(arg, context.cwd);
  const out = options.json ? context.io.stderr : context.io.stdout;
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR && !options.json;
  const command = gameday ? 'gameday' : 'run';
  out(
    `${bold(`shaketable ${command} ${experiment.name}`, color)} (local sandbox${options.dryRun ? ', dry run: nothing will be injected' : ''})\n`,
  );
  // Loaded here, not at start-up: `validate` and `--help` need none of the sandbox.
  const { runLocal, LocalRunUnsupportedError, localRunId } = await import('../../local/runner.js');
  const runId = gameday ? localRunId() : undefined;
  if (gameday && runId) out(gameday.announce(experiment, runId));
  const { RunInterruptedError } = await import('../../local/interrupt.js');
  // An AWS experiment (or one needing approval) given to --local is the user's mistake: one line, exit 2.
  // Ctrl-C / SIGTERM: the runner has recorded the stop; one line says what became of the run, exit 130.
  const outcome = await runLocal(experiment, {
    guardSignals: true,
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(runId ? { gameday: true, runId } : {}),
    onProgress: (line) => out(`${formatProgress(line, color)}\n`),
  }).catch((error: unknown) => {
    if (error instanceof LocalRunUnsupportedError) throw new UserError(error.message);
    if (error instanceof RunInterruptedError) {
      const where = error.stop.resultUri
        ? `; result ${relative(context.cwd, fileURLToPath(error.stop.resultUri))}`
        : '';
      context.io.stderr(`${error.message}${where}\n`);
      context.exitCode = error.exitCode;
      return undefined;
    }
    throw error;
  });
  if (!outcome) return;
  const { result } = outcome;
  const paths = {
    result: relative(context.cwd, fileURLToPath(outcome.resultUri)),
    report: relative(context.cwd, fileURLToPath(outcome.reportUri)),
  };
  await writeCiOutputs(result, options, context.cwd, paths.report);
  if (options.json) {
    context.io.stdout(
      `${JSON.stringify({ runId: result.runId, experiment: result.experiment, verdict: result.verdict, reasons: result.reasons, ...paths }, null, 2)}\n`,
    );
  } else {
    out(formatVerdict(result, paths, color));
  }
  context.exitCode = exitCodeFor(result.verdict, options.allow ?? []);
}

async function writeCiOutputs(result: Result, options: RunOptions, cwd: string, report: string): Promise<void> {
  const { toJUnit } = await import('../outputs/junit.js');
  const { toMarkdownSummary } = await import('../outputs/summary.js');
  const { appendSummary, writeJUnitFile } = await import('../outputs/write.js');
  if (options.junit) await writeJUnitFile(resolve(cwd, options.junit), toJUnit(result));
  if (options.summary) await appendSummary(resolve(cwd, options.summary), toMarkdownSummary(result, { report }));
}

const VERDICT_COLOR: Record<Verdict, (s: string) => string> = {
  PASSED: pc.green,
  DEGRADED: pc.yellow,
  FAILED: pc.red,
  SKIPPED: pc.gray,
  INCONCLUSIVE: pc.blue,
  ERROR: pc.magenta,
};

function bold(text: string, color: boolean): string {
  return color ? pc.bold(text) : text;
}

export function formatProgress(line: ProgressLine, color: boolean): string {
  switch (line.kind) {
    case 'phase': {
      const length = line.lasts ? formatSeconds(line.lasts.seconds) : '';
      const lasts = !line.lasts
        ? ''
        : line.lasts.bound === 'window'
          ? ` of the last ${length}`
          : line.lasts.bound === 'at least'
            ? ` for at least ${length}`
            : ` (${length})`;
      const elapsed = `[${formatSeconds(line.elapsedSeconds)} elapsed]`;
      return `  ${color ? pc.cyan('▸') : '>'} ${line.state}: ${line.message}${lasts}  ${color ? pc.dim(elapsed) : elapsed}`;
    }
    case 'probes':
      return `    ${Object.entries(line.values)
        .map(([name, v]) => {
          const unit = line.units[name];
          const value = v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2);
          return `${name}=${value}${v !== null && unit ? (unit === '%' ? unit : ` ${unit}`) : ''}`;
        })
        .join('  ')}`;
    default:
      return `  ${color ? pc.dim(line.message) : line.message}`;
  }
}

/** A ramp's progress and one line per step reached, under the reasons (nothing for a run that is not a ramp). */
function rampLines(result: Result): string[] {
  const ramp = rampSummary(result);
  return ramp ? [`ramp     ${ramp.progress}`, ...ramp.steps.map((step) => `  - ${step}`)] : [];
}

export function formatVerdict(result: Result, paths: { result: string; report: string }, color: boolean): string {
  const verdict = color ? pc.bold(VERDICT_COLOR[result.verdict](result.verdict)) : result.verdict;
  const lines = [
    ``,
    `verdict  ${verdict}`,
    ...result.reasons.map((r) => `  - ${r}`),
    ...rampLines(result),
    ``,
    `result   ${paths.result}`,
    `report   ${paths.report}`,
    ``,
  ];
  return lines.join('\n');
}
