// DESIGN §4 as a matrix: the real statemachines/experiment.asl.json under aws-local-stepfunctions, with port fakes
// that fail on demand. Every cell — each Task state after injection × each way its Lambda can fail, plus FIS end
// states, lost/duplicate/early events, an aborted execution, SNS and S3 outages — must end with the FIS experiment
// stopped or finished, exactly one result recorded (ERROR where the orchestrator failed, never PASSED then) and the
// target lock released. The matrix is printed as a Markdown table.
import { afterAll, describe, expect, it } from 'vitest';
import { janitor } from '../../core/steps/janitor.js';
import { observe } from '../../core/steps/observe.js';
import { runWorkflow, type StateHandler } from '../../local/workflow.js';
import { createWorld, experiment, type FaultScript, type World } from '../workflow/fakes.js';
import {
  activeFaults,
  failNTimes,
  faultStates,
  LAMBDA_FAILURES,
  type LambdaFailure,
  namedError,
  until,
} from './failures.js';

type Verdict = 'PASSED' | 'DEGRADED' | 'FAILED' | 'SKIPPED' | 'INCONCLUSIVE' | 'ERROR';

interface Cell {
  name: string;
  expected: Verdict;
  /** prepares the world; returns state overrides (each counted in `attempts`) */
  arrange?: (world: World, attempts: Map<string, number>) => Record<string, StateHandler>;
  /** drives an execution that does not end by itself (abort + Janitor) */
  drive?: (world: World, runId: string, abort: () => void) => Promise<void>;
  /** extra checks of the cell, beyond the common invariants */
  check?: (world: World, runId: string) => void;
}

interface Row {
  cell: string;
  execution: string;
  verdict: string;
  fault: string;
  lock: string;
  path: string;
}

const rows: Row[] = [];
let counter = 0;

/** The shipped-like experiment, with a 1 s maxDuration so a hanging fault times out InjectFault quickly. */
function world(): World {
  const definition = experiment();
  definition.fault.maxDuration = 'PT1S';
  return createWorld({ experiment: definition });
}

/** Observe moves the virtual clock by the Wait it follows (the Wait itself is skipped in real time). */
const realObserve =
  (w: World): StateHandler =>
  async (input) => {
    w.advance((input as { fault: { waitSeconds: number } }).fault.waitSeconds * 1000);
    return observe(w.deps, input as never);
  };

/** A state whose Lambda fails with `errorName` on every attempt. */
const failing =
  (state: string, errorName: string, attempts: Map<string, number>): StateHandler =>
  async () => {
    attempts.set(state, (attempts.get(state) ?? 0) + 1);
    throw namedError(errorName, `${state}: ${errorName} (injected)`);
  };

async function runCell(cell: Cell): Promise<{ w: World; runId: string; row: Row }> {
  const w = world();
  const attempts = new Map<string, number>();
  const overrides = { Observe: realObserve(w), ...(cell.arrange?.(w, attempts) ?? {}) };
  const runId = `cell-${++counter}`;
  const execution = runWorkflow(
    w.deps,
    { experiment: 'checkout-instance-loss' },
    {
      runId,
      waitOverridesMs: { WaitForRecovery: 0 },
      retryPauseMs: 0,
      overrides,
    },
  );
  if (cell.drive) await cell.drive(w, runId, execution.abort);
  const outcome = await execution.result;
  // Late duplicate events and timers settle before the books are read.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const stored = w.stored.filter((r) => r.runId === runId);
  const path = [...new Set(execution.events.filter((e) => e.type === 'StateEntered').map((e) => e.state))]
    .filter((s) => ['Reconcile', 'StopOverdueFault', 'StopFault', 'PublishError'].includes(s ?? ''))
    .join('→');
  const tries = [...attempts.entries()].map(([s, n]) => `${s}×${n}`).join(' ');
  const row: Row = {
    cell: cell.name,
    execution: outcome.status === 'FAILED' ? `FAILED (${outcome.error})` : outcome.status,
    verdict: stored.map((r) => r.verdict).join(',') || 'none',
    fault: faultStates(w),
    lock: w.locks.size === 0 ? 'released' : `HELD by ${[...w.locks.values()].map((l) => l.owner).join(',')}`,
    path: [path || 'happy path', tries].filter(Boolean).join('; '),
  };
  rows.push(row);
  return { w, runId, row };
}

function assertInvariants(cell: Cell, w: World, runId: string): void {
  expect(activeFaults(w), `${cell.name}: FIS experiment left active`).toEqual([]);
  const stored = w.stored.filter((r) => r.runId === runId);
  expect(
    stored.map((r) => r.verdict),
    `${cell.name}: results recorded`,
  ).toEqual([cell.expected]);
  expect(w.runs.get(runId)).toMatchObject({ status: 'DONE', verdict: cell.expected });
  expect(w.locks.size, `${cell.name}: lock still held`).toBe(0);
}

// ---------- Task states after injection × Lambda failures ----------

const STATES = ['InjectFault', 'Reconcile', 'StopOverdueFault', 'Observe', 'Evaluate', 'Publish'] as const;

function stateCell(state: (typeof STATES)[number], failure: LambdaFailure): Cell {
  const errorName = LAMBDA_FAILURES[failure];
  return {
    name: `${state} × ${failure}`,
    expected: 'ERROR',
    arrange: (w, attempts) => {
      switch (state) {
        case 'InjectFault':
          // After StartExperiment: the pointer write fails, with a fault that would run for ever if not stopped.
          w.fault = { hangs: true };
          failNTimes(
            w.deps.ledger,
            'updateRun',
            errorName,
            Number.POSITIVE_INFINITY,
            ((_id: string, fields: unknown) =>
              (fields as { fisExperimentId?: string }).fisExperimentId !== undefined) as never,
          );
          return {};
        case 'Reconcile':
        case 'StopOverdueFault':
          // The FIS event never comes and the fault is still running when InjectFault times out.
          w.fault = { hangs: true };
          return { [state]: failing(state, errorName, attempts) };
        default:
          return { [state]: failing(state, errorName, attempts) };
      }
    },
    check: (w, runId) => {
      const result = w.stored.find((r) => r.runId === runId)!;
      expect(result.reasons.join('\n')).toMatch(/orchestrator/);
      if (state === 'InjectFault' || state === 'Reconcile' || state === 'StopOverdueFault') {
        // The fault was running: shaketable itself stopped it, recording why first.
        expect(w.calls.filter((c) => c.startsWith('StopExperiment')).length).toBeGreaterThanOrEqual(1);
        expect(w.runs.get(runId)?.stopCause).toBeDefined();
      }
    },
  };
}

const STATE_CELLS: Cell[] = STATES.flatMap((state) =>
  (Object.keys(LAMBDA_FAILURES) as LambdaFailure[]).map((failure) => stateCell(state, failure)),
);

// ---------- FIS end states, events, the Janitor, SNS and S3 ----------

/** The fake FIS experiment behaves as `fault` says. */
const scripted = (fault: FaultScript) => (w: World) => {
  w.fault = fault;
  return {};
};

const waitForFault = (w: World, runId: string) =>
  until(() => w.runs.get(runId)?.fisExperimentId !== undefined, 5000, `run ${runId} to start its fault`);

const OTHER_CELLS: Cell[] = [
  { name: 'FIS failed after injecting', expected: 'ERROR', arrange: scripted({ endStatus: 'failed' }) },
  {
    name: 'FIS stopped by a stop condition',
    expected: 'FAILED',
    arrange: (w) => {
      w.fault = { endStatus: 'stopped', endReason: 'Experiment stopped by stop condition' };
      w.alarmHistory = [{ name: 'checkout-5xx-high', at: Date.now() + 1000 }];
      return {};
    },
  },
  {
    name: 'FIS stopped by an operator',
    expected: 'INCONCLUSIVE',
    arrange: scripted({ endStatus: 'stopped' }),
  },
  {
    name: 'FIS cancelled',
    expected: 'SKIPPED',
    arrange: scripted({ endStatus: 'cancelled', targets: [] }),
  },
  {
    name: 'FIS event lost, fault completed',
    expected: 'PASSED',
    arrange: scripted({ delivery: 'lost' }),
    check: (w) => expect(w.calls).not.toContain('FaultEnded:completed'),
  },
  {
    name: 'FIS event lost, fault still running',
    expected: 'ERROR',
    arrange: scripted({ hangs: true }),
    check: (w, runId) => {
      expect(w.runs.get(runId)?.stopCause).toBe('maxDuration');
      expect(w.stored.find((r) => r.runId === runId)?.reasons.join('\n')).toMatch(/maxDuration/);
    },
  },
  {
    name: 'FIS event delivered twice',
    expected: 'PASSED',
    arrange: scripted({ delivery: 'twice' }),
    check: (w) =>
      expect(w.calls.filter((c) => c.startsWith('FaultEnded')).sort()).toEqual([
        'FaultEnded:already-completed',
        'FaultEnded:completed',
      ]),
  },
  {
    name: 'FIS event before the fault id is stored',
    expected: 'PASSED',
    arrange: scripted({ endsDuringStart: true }),
  },
  {
    name: 'FIS event before the token is visible',
    expected: 'PASSED',
    arrange: (w) => {
      // The ledger's token write is not yet visible when the event is handled: FaultEnded must ignore the event
      // and InjectFault's own re-read of the experiment completes the token.
      w.fault = { endsDuringStart: true };
      let hide = false;
      const start = w.deps.faults.start;
      w.deps.faults.start = async (request) => {
        hide = true;
        return start(request);
      };
      // The first read after StartExperiment is FaultEnded's (InjectFault itself never reads the run back).
      const getRun = w.deps.ledger.getRun;
      w.deps.ledger.getRun = async (runId) => {
        const run = await getRun(runId);
        if (!hide || !run) return run;
        hide = false;
        const { taskToken: _hidden, ...rest } = run;
        return rest;
      };
      return {};
    },
    check: (w) => expect(w.calls).toContain('FaultEnded:ignored'),
  },
  {
    name: 'execution aborted, its event lost → Janitor sweep',
    expected: 'ERROR',
    arrange: scripted({ hangs: true }),
    drive: async (w, runId, abort) => {
      await waitForFault(w, runId);
      abort();
      // Nothing happens until the sweep finds the run past its horizon.
      const early = await janitor(w.deps, { sweep: true });
      expect(early.cleaned).toEqual([]);
      w.advance(((w.runs.get(runId)?.expiresAt ?? 0) - w.now() / 1000 + 1) * 1000);
      const swept = await janitor(w.deps, { sweep: true });
      expect(swept.cleaned.map((c) => c.runId)).toEqual([runId]);
      // A second sweep leaves a run that has its result alone.
      expect((await janitor(w.deps, { sweep: true })).cleaned).toEqual([]);
    },
    check: (w, runId) => expect(w.runs.get(runId)?.stopCause).toBe('orchestrator-error'),
  },
  {
    name: 'execution aborted, its event delivered → Janitor',
    expected: 'ERROR',
    arrange: scripted({ hangs: true }),
    drive: async (w, runId, abort) => {
      await waitForFault(w, runId);
      abort();
      const event = { source: 'aws.states', detail: { name: runId, status: 'ABORTED' } };
      expect((await janitor(w.deps, event)).cleaned.map((c) => c.runId)).toEqual([runId]);
      expect((await janitor(w.deps, event)).skipped).toEqual([{ runId, reason: 'run already has a result' }]);
    },
  },
  {
    name: 'StopExperiment denied twice, then allowed',
    expected: 'ERROR',
    arrange: (w, attempts) => {
      // An IAM change still propagating: StopFault's catch-all retry gets the fault stopped on its third try.
      w.fault = { hangs: true };
      failNTimes(w.deps.faults, 'stop', 'AccessDeniedException', 2);
      return { Reconcile: failing('Reconcile', 'Error', attempts) };
    },
    check: (w) => expect(w.calls.filter((c) => c.startsWith('StopExperiment'))).toHaveLength(1),
  },
  {
    name: 'SNS down',
    expected: 'PASSED',
    arrange: (w) => {
      w.notifierDown = true;
      return {};
    },
    check: (w) => expect(w.notifications).toEqual([]),
  },
  {
    name: 'S3 down on first try',
    expected: 'PASSED',
    arrange: (w) => {
      w.storeFailures = 1;
      return {};
    },
    check: (w) => expect(w.storeFailures).toBe(0),
  },
  {
    name: 'S3 down on every try of Publish',
    expected: 'ERROR',
    arrange: (w) => {
      // Publish's writes fail through its retries; PublishError (S3 back) records the ERROR.
      const put = w.deps.results.put;
      w.deps.results.put = async (result, html) => {
        if (result.verdict !== 'ERROR') throw namedError('ServiceUnavailable', 'S3 is down');
        return put(result, html);
      };
      return {};
    },
  },
];

describe('the fault matrix: every path after injection stops the fault, records a result, releases the lock', () => {
  afterAll(() => {
    const header = '| cell | execution | verdict | FIS experiment | lock | path |\n|---|---|---|---|---|---|';
    const order = [...STATE_CELLS, ...OTHER_CELLS].map((c) => c.name);
    const sorted = [...rows].sort((a, b) => order.indexOf(a.cell) - order.indexOf(b.cell));
    const body = sorted
      .map((r) => `| ${r.cell} | ${r.execution} | ${r.verdict} | ${r.fault} | ${r.lock} | ${r.path} |`)
      .join('\n');
    console.log(`\nFault matrix (${rows.length} cells)\n\n${header}\n${body}\n`);
  });

  it.concurrent.each(STATE_CELLS.map((c) => [c.name, c] as const))('%s', async (_name, cell) => {
    const { w, runId } = await runCell(cell);
    assertInvariants(cell, w, runId);
    cell.check?.(w, runId);
  });

  it.concurrent.each(OTHER_CELLS.map((c) => [c.name, c] as const))('%s', async (_name, cell) => {
    const { w, runId } = await runCell(cell);
    assertInvariants(cell, w, runId);
    cell.check?.(w, runId);
  });

  it('retries throttling to the end of the ASL budget before giving up (6 attempts)', async () => {
    const cell = stateCell('Observe', 'throttling beyond retries');
    const { row } = await runCell({ ...cell, name: 'Observe throttled (attempt count)' });
    expect(row.path).toContain('Observe×6');
    rows.pop();
  });
});
