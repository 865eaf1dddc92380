// `shaketable halt [--reason …] [--local]`: the kill switch. On AWS it turns on SSM /shaketable/halt (preflight and
// InjectFault then refuse), then stops the FIS experiment of every run still RUNNING in the run table — writing the
// stop cause `halt` to the run FIRST, so the workflow reads the stop as an operator's (INCONCLUSIVE), not as an
// orchestrator error. With --local it turns on the sandbox's switch, .shaketable/halt.json.
import { join } from 'node:path';
import type { Command } from 'commander';
import type { FaultInjector, KillSwitch, RunLedger } from '../../core/ports.js';
import { stopRunFault } from '../../core/run/lifecycle.js';
import { FileKillSwitch } from '../../local/files/kill-switch.js';
import { DEFAULT_BASE_DIR } from '../../local/files/paths.js';
import { toUserError, withAwsErrors } from '../aws/errors.js';
import {
  type AwsOptions,
  addAwsOptions,
  defaultSessionFactory,
  HALT_PARAMETER,
  type SessionFactory,
} from '../aws/options.js';
import { printJson } from '../aws/print.js';
import { INTERNAL_ERROR_EXIT_CODE, UserError } from '../errors.js';
import type { CliContext } from '../main.js';

export const DEFAULT_HALT_REASON = 'halted with shaketable halt';

export interface HaltedRun {
  runId: string;
  experiment: string;
  fisExperimentId?: string;
  /** stopped: StopExperiment accepted; already-ended / already-stopping / no-fault: nothing to stop; failed: see error */
  outcome: 'stopped' | 'already-ended' | 'already-stopping' | 'no-fault' | 'failed';
  fisStatus?: string;
  error?: string;
}

export interface HaltReport {
  killSwitch: 'on';
  reason: string;
  runs: HaltedRun[];
}

export interface HaltDeps {
  killSwitch: KillSwitch;
  ledger: RunLedger;
  faults: FaultInjector;
}

/**
 * The reason a halt stores: halting again keeps the first reason (an incident number must not become "halted with
 * shaketable halt"), and a new, different reason is added after it.
 */
export function haltReason(current: { on: boolean; reason?: string }, given: string | undefined): string {
  const previous = current.on ? current.reason : undefined;
  if (!previous) return given ?? DEFAULT_HALT_REASON;
  if (!given || given === previous || previous.split('; ').includes(given)) return previous;
  return `${previous}; ${given}`;
}

/** A failure of halt as one line that starts with what it means for the experiments. */
function haltFailure(headline: string, error: unknown): UserError {
  const mapped = toUserError(error);
  const message = mapped instanceof Error ? mapped.message : String(mapped);
  const exitCode = mapped instanceof UserError ? mapped.exitCode : INTERNAL_ERROR_EXIT_CODE;
  return new UserError(`${headline}: ${message}`, exitCode);
}

/** Nothing was switched on: say so first, so that no one believes the experiments were stopped. */
export function nothingHalted(error: unknown): UserError {
  return haltFailure('NOTHING WAS HALTED (the kill switch is unchanged)', error);
}

/**
 * Kill switch on first (no new fault can start), then each running run in turn. One run's failure does not keep
 * the others running: it is reported with its error and the command exits 4.
 */
export async function haltOnAws(deps: HaltDeps, given: string | undefined): Promise<HaltReport> {
  const reason = await (async () => {
    const next = haltReason(await deps.killSwitch.get(), given);
    await deps.killSwitch.set(true, next);
    return next;
  })().catch((error: unknown) => {
    throw nothingHalted(error);
  });
  const running = await deps.ledger.listRuns({ status: 'RUNNING' }).catch((error: unknown) => {
    throw haltFailure(
      `kill switch ON (${reason}), but NO RUN WAS STOPPED (the running runs could not be listed)`,
      error,
    );
  });
  const runs: HaltedRun[] = [];
  for (const run of running) {
    let fisExperimentId = run.fisExperimentId;
    const base = () => ({
      runId: run.runId,
      experiment: run.experiment,
      ...(fisExperimentId ? { fisExperimentId } : {}),
    });
    try {
      // The run's fault as the workflow finds it (the pointer, else the run tag), stopped with cause `halt` first.
      const stop = await stopRunFault(deps, run, 'halt');
      if (stop.outcome === 'no-fault') {
        runs.push({ ...base(), outcome: 'no-fault' });
        continue;
      }
      fisExperimentId = stop.state.experimentId;
      runs.push({ ...base(), outcome: stop.outcome, fisStatus: stop.state.status });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      runs.push({ ...base(), outcome: 'failed', error: message });
    }
  }
  return { killSwitch: 'on', reason, runs };
}

export function formatHalt(report: HaltReport, where: string): string {
  const lines = [`kill switch ON (${where}): ${report.reason}`];
  if (!report.runs.length) lines.push('no run is in progress');
  for (const run of report.runs) {
    const fault = run.fisExperimentId ? `fault ${run.fisExperimentId}` : 'no fault';
    const text: Record<HaltedRun['outcome'], string> = {
      stopped: `stopped ${fault} (now ${run.fisStatus ?? 'stopping'})`,
      'already-ended': `${fault} had already ended (${run.fisStatus})`,
      'already-stopping': `${fault} is already stopping`,
      'no-fault': 'no fault was started yet (the kill switch keeps it from starting)',
      failed: `FAILED to stop: ${run.error}`,
    };
    lines.push(`  ${run.outcome === 'failed' ? '✗' : '✓'} run ${run.runId} (${run.experiment}): ${text[run.outcome]}`);
  }
  lines.push('new runs are refused until: npx shaketable resume');
  return `${lines.join('\n')}\n`;
}

export function registerHaltCommand(
  program: Command,
  context: CliContext,
  sessions: SessionFactory = defaultSessionFactory,
): void {
  const command = program
    .command('halt')
    .description('kill switch on: refuse new faults and stop every running shaketable FIS experiment')
    .option('--reason <text>', 'why (stored with the switch and shown in refused runs)')
    .option('--local', 'the sandbox kill switch (.shaketable/halt.json) instead of AWS')
    .option('--json', 'print what was done as JSON');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `\nOn AWS: sets SSM ${HALT_PARAMETER}, then for every RUNNING run records stop cause "halt" and calls FIS StopExperiment.\nExit code 4 if any experiment could not be stopped.\n\nExamples:\n  npx shaketable halt --reason "incident 4711"\n  npx shaketable halt --local`,
    )
    .action(async (options: AwsOptions & { reason?: string; local?: boolean; json?: boolean }) => {
      if (options.local) {
        const killSwitch = new FileKillSwitch(join(context.cwd, DEFAULT_BASE_DIR));
        const reason = haltReason(await killSwitch.get(), options.reason);
        await killSwitch.set(true, reason);
        const report: HaltReport = { killSwitch: 'on', reason, runs: [] };
        if (options.json) printJson(context.io, { ...report, file: killSwitch.file });
        else
          context.io.stdout(
            `kill switch ON (${killSwitch.file}): ${reason}\nsandbox runs refuse to inject until: npx shaketable resume --local\n`,
          );
        context.exitCode = 0;
        return;
      }
      const session = await sessions(options);
      // The stack (its run table) is found before the switch is touched: a wrong --stack or --region, or no access,
      // changes nothing, and says so loudly.
      const deps = await withAwsErrors(async () => ({
        killSwitch: session.killSwitch(),
        ledger: await session.ledger(),
        faults: session.faults(),
      })).catch((error: unknown) => {
        throw nothingHalted(error);
      });
      const report = await haltOnAws(deps, options.reason);
      if (options.json) printJson(context.io, report);
      else context.io.stdout(formatHalt(report, `SSM ${HALT_PARAMETER}`));
      context.exitCode = report.runs.some((r) => r.outcome === 'failed') ? INTERNAL_ERROR_EXIT_CODE : 0;
    });
}
