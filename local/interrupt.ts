// Ctrl-C (SIGINT) or SIGTERM during `shaketable run --local`: the run ends as the operator asked — the fault stopped,
// an INCONCLUSIVE result written, the run marked DONE and its target lock released — instead of staying RUNNING.

import type { Experiment } from '../core/experiment/schema.js';
import type { ResultStore, RunLedger } from '../core/ports.js';
import type { Result } from '../core/result/model.js';
import { finishRun, outcomeOfStop, stopRunFault, triggerOf } from '../core/run/lifecycle.js';
import { errorResult } from '../core/steps/error-result.js';
import { lockKey } from '../core/targets/lock-key.js';
import type { LocalFaultInjector } from './faults/injector.js';

export const OPERATOR_STOP_REASON = 'stopped by the operator';

/** The run was interrupted by a signal; the runner has recorded it. Exit code 130 for SIGINT and SIGTERM alike. */
export class RunInterruptedError extends Error {
  override readonly name = 'Shaketable.RunInterrupted';
  readonly exitCode = 130;
  constructor(readonly stop: OperatorStop) {
    super(describeStop(stop));
  }
}

export interface OperatorStop {
  signal: NodeJS.Signals;
  /** where the run was: warm-up, or the workflow state it was in */
  phase: string;
  runId: string;
  /** the run's ledger entry existed (the workflow had started it) */
  started: boolean;
  /** the run had already ended on its own with this verdict; nothing was overwritten */
  endedWith?: string;
  faultId?: string;
  /** the fault's state once stopped: stopped, or completed when it had ended before the signal */
  faultStatus?: string;
  resultUri?: string;
}

/** Phase names a person knows, for the workflow's states. */
const PHASES: Record<string, string> = {
  Load: 'preflight',
  ResolveTargets: 'preflight',
  Preflight: 'preflight',
  Baseline: 'baseline',
  InjectFault: 'fault',
  Reconcile: 'fault',
  StopOverdueFault: 'fault',
  WaitForRecovery: 'recovery',
  Observe: 'evaluation',
  Evaluate: 'evaluation',
  Publish: 'publishing',
  StopFault: 'publishing',
  PublishError: 'publishing',
};

export function phaseOf(state: string): string {
  return PHASES[state] ?? state;
}

function describeStop(stop: OperatorStop): string {
  const head = `${OPERATOR_STOP_REASON} (${stop.signal}) during ${stop.phase}`;
  if (!stop.started) return `${head}; no run had started`;
  if (stop.endedWith) return `${head}; run ${stop.runId} had already ended ${stop.endedWith}`;
  const fault = stop.faultId ? `, fault ${stop.faultId} ${stop.faultStatus ?? 'stopped'}` : '';
  return `${head}: run ${stop.runId} INCONCLUSIVE${fault}, lock released`;
}

/**
 * Keeps the workflow's steps off the ledger, the result store and the injector once the operator stops the run:
 * `close()` waits for calls already under way and refuses every later one, so nothing a step does in flight can
 * overwrite the operator's result, re-take the lock or start a fault after it was stopped.
 */
export class WorkflowGate {
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  /** `target` with the named methods going through the gate. */
  guard<T extends object>(target: T, methods: ReadonlyArray<keyof T>): T {
    const names = new Set<PropertyKey>(methods);
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (!names.has(property)) return value.bind(object);
        return (...args: unknown[]) => this.call(() => value.apply(object, args) as Promise<unknown>);
      },
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private call(work: () => Promise<unknown>): Promise<unknown> {
    if (this.closed) return Promise.reject(new RunInterruptedGateError(`${OPERATOR_STOP_REASON}; step not run`));
    const call = work();
    this.inFlight.add(call);
    void call.then(
      () => this.inFlight.delete(call),
      () => this.inFlight.delete(call),
    );
    return call;
  }
}

/** A workflow step touched the ledger, results or injector after the operator stopped the run. */
class RunInterruptedGateError extends Error {
  override readonly name = 'Shaketable.RunInterrupted';
}

export interface OperatorStopDeps {
  experiment: Experiment;
  ledger: RunLedger;
  results: ResultStore;
  faults: LocalFaultInjector;
  renderReport: (result: Result) => string;
  now?: () => Date;
}

/**
 * Records the operator's stop of run `runId` (call it once the workflow's gate is closed): stops every fault,
 * and, when the run had started and not ended, writes its INCONCLUSIVE result, marks it DONE and releases its lock.
 */
export async function recordOperatorStop(
  deps: OperatorStopDeps,
  stop: { signal: NodeJS.Signals; phase: string; runId: string },
): Promise<OperatorStop> {
  const now = deps.now ?? (() => new Date());
  await deps.faults.stopAll(OPERATOR_STOP_REASON);
  const run = await deps.ledger.getRun(stop.runId);
  if (!run) return { ...stop, started: false };
  if (run.status === 'DONE') return { ...stop, started: true, endedWith: run.verdict ?? 'DONE' };
  // The faults are stopped already: this reads how the run's own fault ended (or stops it, should it still run).
  const fault = outcomeOfStop(await stopRunFault(deps, run, 'halt'), run, 'halt', undefined, now().getTime());
  const reason = `${OPERATOR_STOP_REASON} (${stop.signal}) during the ${stop.phase} phase; the hypothesis was not evaluated`;
  const endedAt = now().toISOString();
  const base = errorResult({
    runId: stop.runId,
    experiment: run.experiment,
    startedAt: run.startedAt,
    endedAt,
    reasons: [reason],
    provider: 'local',
    hypothesis: deps.experiment.hypothesis,
    ...(deps.experiment.runbook ? { runbook: deps.experiment.runbook } : {}),
    ...triggerOf(run),
    ...(fault ? { fault } : {}),
  });
  const result: Result = {
    ...base,
    verdict: 'INCONCLUSIVE',
    events: base.events.map((event) => (event.type === 'error' ? { ...event, type: 'stopped' } : event)),
  };
  // Released by key, not only by the run's record: Preflight may have taken the lock without recording it yet.
  const stored = await finishRun(deps, result, run.lockKey ?? lockKey(deps.experiment));
  return {
    ...stop,
    started: true,
    resultUri: stored.resultUri,
    ...(fault?.experimentId ? { faultId: fault.experimentId, faultStatus: fault.status } : {}),
  };
}
