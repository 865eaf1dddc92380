// `shaketable run --local`: starts the sandbox, warms it up until the baseline window and every alarm have data,
// runs THE SAME statemachines/experiment.asl.json over local adapters, shows progress, and always stops every
// process it started (success, error, Ctrl-C, SIGTERM).

import { randomBytes } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { durationSeconds } from '../core/duration.js';
import type { Experiment } from '../core/experiment/schema.js';
import { publicHolidaysOn } from '../core/guardrails/date-holidays-calendar.js';
import { type ApprovalNotifier, type Catalog, type FaultState, type Notifier, systemClock } from '../core/ports.js';
import { reportRenderer } from '../core/report/chart-library.js';
import { shortUnit } from '../core/report/format.js';
import type { Result } from '../core/result/model.js';
import { releaseHold } from '../core/run/acks.js';
import { resolveProbes } from '../core/steady-state/resolve.js';
import type { StepDeps } from '../core/steps/deps.js';
import { faultEnded } from '../core/steps/fault-ended.js';
import { observeSecondsOf } from '../core/steps/plan.js';
import { probeQueries } from '../core/steps/probes.js';
import { LOCAL_SETTINGS } from '../core/steps/settings.js';
import { abortAlarmName } from './alarms.js';
import { FileKillSwitch } from './files/kill-switch.js';
import { DEFAULT_BASE_DIR } from './files/paths.js';
import { phaseOf, RunInterruptedError, recordOperatorStop, WorkflowGate } from './interrupt.js';
import { guardProcess, type Sandbox, startSandbox } from './sandbox.js';
import { LocalTaskTokens, runWorkflow, stateMachine, stateTransitions, type WorkflowEvent } from './workflow.js';

export interface LocalRunOptions {
  baseDir?: string;
  /** one line of progress (the CLI decides colour and TTY handling) */
  onProgress?: (line: ProgressLine) => void;
  /** install SIGINT/SIGTERM handlers that stop the sandbox (the CLI does; tests drive stop themselves) */
  guardSignals?: boolean;
  runId?: string;
  /** preflight and the baseline only, as `run --dry-run` on AWS: nothing is injected, the verdict is SKIPPED */
  dryRun?: boolean;
  /** a GameDay (`shaketable gameday --local`): the verdict waits for `ack <runId> mitigated --local` or maxDuration */
  gameday?: boolean;
}

export type ProgressLine =
  | {
      kind: 'phase';
      state: string;
      message: string;
      /** seconds since the run began */
      elapsedSeconds: number;
      /** how long the phase is: the baseline's window (already measured), the fault's least, the recovery wait */
      lasts?: PhaseLength;
    }
  | {
      kind: 'probes';
      values: Record<string, number | null>;
      /** each probe's unit as declared (probe.unit, else its metric's), shortened (`ms`, `%`) */
      units: Record<string, string>;
    }
  | { kind: 'info'; message: string };

export interface LocalRunOutcome {
  result: Result;
  resultUri: string;
  reportUri: string;
  runId: string;
  execution: { status: string; error?: string; cause?: string };
  stateTransitions: number;
  /** every demo instance process the sandbox started during the run (all stopped when runLocal returns) */
  childPids: number[];
  timings: { startupMs: number; warmupMs: number; workflowMs: number; totalMs: number };
}

const PHASE_MESSAGES: Record<string, string> = {
  Load: 'loading the experiment',
  Preflight: 'checking guardrails',
  Approval: 'waiting for approval',
  Baseline: 'measuring the baseline',
  InjectFault: 'fault injected, observing',
  Reconcile: 'no fault event in time, asking the injector',
  StopOverdueFault: 'fault overran maxDuration, stopping it',
  WaitForRecovery: 'fault ended, waiting for recovery',
  Observe: 'reading every probe over all phases',
  HoldForMitigation: 'GameDay: holding the verdict until a mitigated ack or maxDuration',
  Evaluate: 'evaluating the hypothesis',
  Publish: 'writing result.json and report.html',
  StopFault: 'error: stopping the fault',
  PublishError: 'error: writing the ERROR result',
};

/** A sandbox run id: `<yyyymmddThhmmssZ>-<6 hex>`, as `gameday --local` prints it before the run starts. */
export function localRunId(now: Date = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

export class LocalRunUnsupportedError extends Error {
  override readonly name = 'Shaketable.LocalRunUnsupported';
}

export async function runLocal(experiment: Experiment, options: LocalRunOptions = {}): Promise<LocalRunOutcome> {
  if (experiment.provider !== 'local' || !experiment.local) {
    throw new LocalRunUnsupportedError(
      `${experiment.name} is not a local experiment (it has no provider: local and local block); run it on AWS without --local`,
    );
  }
  if (experiment.guardrails?.approval?.required) {
    throw new LocalRunUnsupportedError(
      `${experiment.name}: guardrails.approval.required is not supported by the sandbox; run it on AWS or set required: false`,
    );
  }
  const began = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  stateMachine(); // validated now, not while the demo system's latency is being measured
  const runId = options.runId ?? localRunId();
  // Damaged local state is the user's to fix before anything starts: one line naming the file (LocalStateError).
  await new FileKillSwitch(path.resolve(options.baseDir ?? DEFAULT_BASE_DIR)).get();
  const sandbox = await startSandbox(experiment, { ...(options.baseDir ? { baseDir: options.baseDir } : {}) });
  const childPids = new Set(sandbox.supervisor.pids());
  sandbox.supervisor.onEvent((event) => {
    if (event.type === 'started') childPids.add(event.pid);
  });
  let ticker: NodeJS.Timeout | undefined;
  let stopWatching: (() => void) | undefined;
  let current = 'warm-up';
  // Ctrl-C / SIGTERM: the workflow's steps are shut out (gate), the operator's stop is recorded, and the run ends
  // with RunInterruptedError wherever it was waiting; the caller says so and exits 130.
  const gate = new WorkflowGate();
  let stopping = false;
  let interrupted: RunInterruptedError | undefined;
  let onInterrupted: (error: unknown) => void = () => undefined;
  const interruption = new Promise<never>((_resolve, reject) => {
    onInterrupted = reject;
  });
  interruption.catch(() => undefined); // observed by the awaits below, never unhandled
  let abortWorkflow: () => void = () => undefined;
  const unguard = options.guardSignals
    ? guardProcess(sandbox, {
        exit: false,
        onSignal: async (signal) => {
          stopping = true;
          if (ticker) clearInterval(ticker);
          abortWorkflow();
          try {
            await gate.close();
            const stop = await recordOperatorStop(
              {
                experiment,
                ledger: sandbox.ledger,
                results: sandbox.results,
                faults: sandbox.faults,
                renderReport: reportRenderer(),
              },
              { signal, phase: phaseOf(current), runId },
            );
            interrupted = new RunInterruptedError(stop);
            onInterrupted(interrupted);
          } catch (error) {
            onInterrupted(error); // the stop could not be recorded: the caller reports that error instead
          }
        },
      })
    : () => undefined;
  // Aborting the workflow settles its result at once: once stopping, wait for the stop to be recorded instead.
  const untilInterrupted = async <T>(work: Promise<T>): Promise<T> => {
    const value = await Promise.race([work, interruption]);
    if (stopping) await interruption;
    return value;
  };
  try {
    for (const line of sandbox.staleCleanup.quarantined) progress({ kind: 'info', message: `warning: ${line}` });
    progress({
      kind: 'info',
      message: `sandbox up: ${experiment.local.instances} instances behind ${sandbox.balancer.url}, ${experiment.local.rps} rps`,
    });
    const baselineSeconds = durationSeconds(experiment.steadyState.baseline);
    // A halted sandbox refuses at Preflight, which needs no metrics: no warm-up to wait through before saying so.
    const halted = await sandbox.killSwitch.get();
    const warmStart = Date.now();
    if (halted.on) {
      progress({ kind: 'info', message: 'kill switch on: no warm-up, Preflight will refuse the run' });
    } else {
      progress({
        kind: 'info',
        message: `warming up until ${baselineSeconds} s of baseline data and every alarm have data`,
      });
      await untilInterrupted(sandbox.waitUntilWarm(baselineSeconds));
    }
    const warmupMs = Date.now() - warmStart;

    const deps = localDeps(experiment, sandbox, gate);
    // FIS state-change events, as EventBridge would deliver them to FaultEnded.
    sandbox.faults.onStateChange((state: FaultState) => {
      if (stopping) return; // the operator's stop is recorded by recordOperatorStop, not by the workflow
      void faultEnded(deps, {
        'detail-type': 'FIS Experiment State Change',
        source: 'aws.fis',
        detail: {
          'experiment-id': state.experimentId,
          'new-state': { status: state.status, ...(state.reason ? { reason: state.reason } : {}) },
        },
      }).catch((error: unknown) => progress({ kind: 'info', message: `FaultEnded failed: ${String(error)}` }));
    });

    // A GameDay held for mitigation: `ack … mitigated --local` runs in another process and writes the run's ledger
    // entry, so the sandbox watches that entry while HoldForMitigation waits (its timeout bounds the wait) and
    // completes the hold's token itself; the first check covers an ack written before the watch began.
    const releaseOnAck = () => {
      sandbox.ledger
        .getRun(runId)
        .then((run) => (run ? releaseHold(deps.tokens, run) : false))
        .catch((error: unknown) => progress({ kind: 'info', message: `reading the acks failed: ${String(error)}` }));
    };
    const onEvent = (event: WorkflowEvent) => {
      if (event.type !== 'StateEntered' || !event.state) return;
      if (event.state === 'HoldForMitigation') {
        stopWatching ??= sandbox.ledger.watchRun(runId, releaseOnAck);
        releaseOnAck();
      } else if (stopWatching) {
        stopWatching();
        stopWatching = undefined;
      }
      current = event.state;
      const message = PHASE_MESSAGES[event.state];
      if (!message) return;
      const lasts = phaseLength(experiment, event.state);
      progress({
        kind: 'phase',
        state: event.state,
        message,
        elapsedSeconds: Math.round((Date.now() - began) / 1000),
        ...(lasts ? { lasts } : {}),
      });
    };
    const showProbes = async () => {
      if (current !== 'InjectFault' && current !== 'WaitForRecovery') return;
      progress({ kind: 'probes', values: await currentValues(experiment, sandbox), units: probeUnits(experiment) });
    };
    ticker = setInterval(() => {
      showProbes().catch((error: unknown) =>
        progress({ kind: 'info', message: `probe values unavailable: ${String(error)}` }),
      );
    }, 2000);

    const workflowStart = Date.now();
    const execution = runWorkflow(
      deps,
      {
        experiment: experiment.name,
        trigger: 'manual',
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.gameday ? { gameday: true } : {}),
      },
      { runId, onEvent, retryPauseMs: 1000 },
    );
    abortWorkflow = execution.abort;
    const outcome = await untilInterrupted(execution.result);
    const workflowMs = Date.now() - workflowStart;
    const run = await untilInterrupted(sandbox.ledger.getRun(runId));
    if (!run?.resultUri || !run.reportUri) {
      throw new Error(
        `run ${runId} ended (${outcome.status}${outcome.error ? `: ${outcome.error} ${outcome.cause}` : ''}) without a result`,
      );
    }
    const result = await deps.results.get(run.resultUri);
    return {
      result,
      resultUri: run.resultUri,
      reportUri: run.reportUri,
      runId,
      execution: outcome,
      stateTransitions: stateTransitions(execution.events),
      childPids: [...childPids],
      timings: { startupMs: sandbox.startupMs, warmupMs, workflowMs, totalMs: Date.now() - began },
    };
  } finally {
    if (ticker) clearInterval(ticker);
    stopWatching?.();
    await sandbox.stop();
    unguard();
  }
}

function localDeps(
  experiment: Experiment,
  sandbox: Sandbox,
  gate: WorkflowGate,
): StepDeps & { tokens: LocalTaskTokens } {
  const compiledAlarms = Object.keys(experiment.guardrails?.abortWhen ?? {}).map((probe) =>
    abortAlarmName(experiment.name, probe),
  );
  const catalog: Catalog = {
    list: async () => [experiment.name],
    get: async (name) => {
      if (name !== experiment.name) throw new Error(`experiment "${name}" is not the one this sandbox runs`);
      return { experiment, compiledAlarms };
    },
  };
  const notifications = path.join(sandbox.baseDir, 'notifications.jsonl');
  // No SNS locally: notifications are appended to a file, one JSON line each.
  const notifier: Notifier = { publish: (summary) => appendFile(notifications, `${JSON.stringify(summary)}\n`) };
  const approvals: ApprovalNotifier = {
    requestApproval: async () => {
      throw new LocalRunUnsupportedError('approval is not supported by the sandbox');
    },
  };
  return {
    clock: systemClock,
    catalog,
    faults: gate.guard(sandbox.faults, ['start', 'stop']),
    targets: sandbox.faults,
    metrics: sandbox.metrics,
    alarms: sandbox.alarms,
    killSwitch: sandbox.killSwitch,
    ledger: gate.guard(sandbox.ledger, ['acquireLock', 'releaseLock', 'putRun', 'updateRun']),
    acks: gate.guard(sandbox.ledger, ['closeAcks']),
    results: gate.guard(sandbox.results, ['put']),
    notifier,
    approvals,
    tokens: new LocalTaskTokens(),
    settings: LOCAL_SETTINGS,
    renderReport: reportRenderer(),
    holidays: publicHolidaysOn,
    host: sandbox.host,
  };
}

/** The newest complete period of every probe, expressions included. */
export interface PhaseLength {
  seconds: number;
  /** window: the data of the last `seconds` (the baseline, read from what the warm-up measured); */
  /** at least: the fault is observed this long at least; lasts: a wait of exactly this long */
  bound: 'window' | 'at least' | 'lasts';
}

/** How long a phase of the run is, for the progress line; undefined for the quick ones. */
function phaseLength(experiment: Experiment, state: string): PhaseLength | undefined {
  if (state === 'Baseline') return { seconds: durationSeconds(experiment.steadyState.baseline), bound: 'window' };
  if (state === 'InjectFault') return { seconds: observeSecondsOf(experiment), bound: 'at least' };
  if (state === 'WaitForRecovery') {
    const ingestion = experiment.steadyState.ingestionDelay
      ? durationSeconds(experiment.steadyState.ingestionDelay)
      : LOCAL_SETTINGS.defaultIngestionDelaySeconds;
    const recovery = experiment.expect.recovery ? durationSeconds(experiment.expect.recovery) : 0;
    return { seconds: Math.ceil(recovery + ingestion), bound: 'lasts' };
  }
  return undefined;
}

function probeUnits(experiment: Experiment): Record<string, string> {
  const units: Record<string, string> = {};
  for (const [name, probe] of Object.entries(experiment.steadyState.probes)) {
    const unit = probe.unit ?? probe.metric?.unit;
    if (unit) units[name] = shortUnit(unit);
  }
  return units;
}

async function currentValues(experiment: Experiment, sandbox: Sandbox): Promise<Record<string, number | null>> {
  const period = durationSeconds(experiment.steadyState.period) * 1000;
  const end = Math.floor(Date.now() / period) * period;
  const window = { start: end - period, end };
  const raw = await sandbox.metrics.getSeries(probeQueries(experiment), window, period / 1000);
  const filled = resolveProbes(experiment, raw, window, period / 1000);
  return Object.fromEntries(Object.entries(filled).map(([name, f]) => [name, f.series.at(-1)?.[1] ?? null]));
}
