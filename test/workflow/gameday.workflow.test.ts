// Responders' acknowledgements and GameDays on the real statemachines/experiment.asl.json (aws-local-stepfunctions,
// fakes of test/workflow/fakes.ts): acks count for time-to-detect and time-to-mitigate until Evaluate closes the run
// to them, and a GameDay run holds Evaluate for a `mitigated` ack, at most until maxDuration after the fault started.
import { describe, expect, it } from 'vitest';
import { type AckKind, AckRefusedError, acknowledge } from '../../core/run/acks.js';
import { observe } from '../../core/steps/observe.js';
import { runWorkflow, type StateHandler, stateTransitions } from '../../local/workflow.js';
import { createWorld, experiment, type World } from './fakes.js';

let counter = 0;
/** maxDuration of the GameDay experiments below: longer than the fault and its recovery, so a hold has time left */
const MAX_DURATION_MS = 3_600_000;

type Observed = { plan: { runId: string }; fault: { waitSeconds: number; startTime?: string } };

/** Runs the workflow; `duringFault` runs when the fault has ended and before Observe (the responders' time). */
async function run(
  world: World,
  input: Record<string, unknown> = {},
  duringFault: (event: Observed) => Promise<void> = async () => undefined,
  overrides: Record<string, StateHandler> = {},
  /** a GameDay: Observe runs this long (real ms) before maxDuration after the fault started */
  holdLeftMs?: number,
) {
  const runId = `gd-${++counter}`;
  const execution = runWorkflow(
    world.deps,
    { experiment: 'checkout-instance-loss', ...input },
    {
      runId,
      waitOverridesMs: { WaitForRecovery: 0 },
      retryPauseMs: 0,
      overrides: {
        Observe: async (i) => {
          const event = i as Observed;
          await duringFault(event);
          world.advance(event.fault.waitSeconds * 1000);
          if (holdLeftMs !== undefined) {
            const maxDurationEnd = Date.parse(event.fault.startTime ?? '') + MAX_DURATION_MS;
            world.advance(maxDurationEnd - holdLeftMs - world.now());
          }
          return observe(world.deps, i as never);
        },
        ...overrides,
      },
    },
  );
  const outcome = await execution.result;
  return {
    outcome,
    states: execution.events.filter((e) => e.type === 'StateEntered').map((e) => e.state),
    transitions: stateTransitions(execution.events),
    result: world.stored.at(-1),
    runId,
  };
}

/** An ack made `afterMs` after the fault started (the responder's clock), through the same code as the CLI. */
function ackAt(world: World, event: Observed, kind: AckKind, afterMs: number, by = 'alice', note?: string) {
  const start = Date.parse(event.fault.startTime ?? '');
  return acknowledge(
    { acks: world.deps.acks, tokens: world.tokens, clock: { now: () => new Date(start + afterMs) } },
    { runId: event.plan.runId, kind, by, ...(note ? { note } : {}) },
  );
}

function expectCleanEnd(world: World) {
  expect(world.locks.size).toBe(0);
  for (const f of world.faults.values())
    expect(['pending', 'initiating', 'running', 'stopping']).not.toContain(f.status);
}

describe('acknowledgements (real ASL, local execution)', () => {
  it('takes time-to-detect from a detected ack that came before the alarm, and time-to-mitigate from a mitigated ack', async () => {
    const detect = { alarms: ['checkout-errors-page'], within: 'PT5S' };
    const world = createWorld({ experiment: experiment({ expect: { recovery: 'PT5M', detect } }) });
    Object.defineProperty(world, 'alarmHistory', {
      get: () => {
        const start = world.faultWindow()?.start;
        return start === undefined ? [] : [{ name: 'checkout-errors-page', at: start + 3000 }];
      },
    });
    const r = await run(world, {}, async (event) => {
      await ackAt(world, event, 'detected', 1500, 'alice', 'p99 page');
      await ackAt(world, event, 'mitigated', 4000, 'bob', 'failed over');
    });
    expect(r.result?.verdict).toBe('PASSED');
    expect(r.result?.response).toMatchObject({ detectedBy: 'ack:alice', ttdSeconds: 1.5, ttmSeconds: 4 });
    expect(r.result?.acks?.map((a) => [a.kind, a.by, a.note])).toEqual([
      ['detected', 'alice', 'p99 page'],
      ['mitigated', 'bob', 'failed over'],
    ]);
    expect(r.result?.events.map((e) => e.type)).toEqual(expect.arrayContaining(['detected', 'mitigated']));
    expectCleanEnd(world);
  });

  it('counts the alarm when it went to ALARM before the first detected ack', async () => {
    const detect = { alarms: ['checkout-errors-page'], within: 'PT5S' };
    const world = createWorld({ experiment: experiment({ expect: { recovery: 'PT5M', detect } }) });
    Object.defineProperty(world, 'alarmHistory', {
      get: () => {
        const start = world.faultWindow()?.start;
        return start === undefined ? [] : [{ name: 'checkout-errors-page', at: start + 1000 }];
      },
    });
    const r = await run(world, {}, async (event) => {
      await ackAt(world, event, 'detected', 2000);
    });
    expect(r.result?.response).toMatchObject({ detectedBy: 'checkout-errors-page', ttdSeconds: 1, ttmSeconds: null });
  });

  it('a human detected ack within the window satisfies expect.detect when no alarm fired', async () => {
    const detect = { alarms: ['checkout-errors-page'], within: 'PT5S' };
    const world = createWorld({ experiment: experiment({ expect: { recovery: 'PT5M', detect } }) });
    const r = await run(world, {}, async (event) => {
      await ackAt(world, event, 'detected', 2500, 'carol');
    });
    expect(r.result?.verdict).toBe('PASSED');
    expect(r.result?.response).toMatchObject({ detectedBy: 'ack:carol', ttdSeconds: 2.5 });
  });

  it('refuses an ack once the run is evaluated, and for an unknown run; the result keeps the acks it had', async () => {
    const world = createWorld({ experiment: experiment() });
    const r = await run(world, {}, async (event) => {
      await ackAt(world, event, 'mitigated', 2000);
    });
    expect(r.result?.response?.ttmSeconds).toBe(2);
    const late = acknowledge(
      { acks: world.deps.acks, tokens: world.tokens, clock: world.deps.clock },
      { runId: r.runId, kind: 'detected', by: 'dave' },
    );
    await expect(late).rejects.toBeInstanceOf(AckRefusedError);
    await expect(late).rejects.toMatchObject({ refusal: 'evaluated', name: 'Shaketable.AckRefused' });
    const unknown = acknowledge(
      { acks: world.deps.acks, clock: world.deps.clock },
      { runId: 'no-such-run', kind: 'detected', by: 'dave' },
    );
    await expect(unknown).rejects.toMatchObject({ refusal: 'unknown' });
    expect(world.runs.get(r.runId)?.acks?.map((a) => a.by)).toEqual(['alice']);
    expect(r.result?.acks?.map((a) => a.by)).toEqual(['alice']);
  });

  it('an ack before the fault started is kept in the result but counts for neither TTD nor TTM', async () => {
    const world = createWorld({ experiment: experiment() });
    const r = await run(world, {}, async (event) => {
      await ackAt(world, event, 'mitigated', -60_000);
    });
    expect(r.result?.acks).toHaveLength(1);
    expect(r.result?.response).toMatchObject({ detectedBy: null, ttdSeconds: null, ttmSeconds: null });
  });
});

function gamedayWorld(): World {
  const definition = experiment();
  definition.fault.maxDuration = 'PT1H';
  return createWorld({ experiment: definition });
}

/** Resolves once the run's hold stored its token (HoldForMitigation ran). */
async function holding(world: World, runId: () => string | undefined): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const id = runId();
    if (id && world.runs.get(id)?.holdToken) return id;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the run never reached HoldForMitigation');
}

describe('GameDays (real ASL, local execution)', () => {
  it('with no ack, holds until maxDuration, then decides from the metrics with the fault ended and ttm null', async () => {
    const world = gamedayWorld();
    const r = await run(world, { gameday: true }, undefined, {}, 1900);
    expect(r.outcome.status).toBe('SUCCEEDED');
    expect(r.states).toEqual(expect.arrayContaining(['GameDayHold', 'PrepareHold', 'HoldForMitigation', 'Evaluate']));
    expect(r.states.indexOf('HoldForMitigation')).toBeLessThan(r.states.indexOf('Evaluate'));
    expect(r.result?.verdict).toBe('PASSED');
    expect(r.result?.response?.ttmSeconds).toBeNull();
    expect(r.result?.events.find((e) => e.type === 'gameday')?.message).toMatch(/no mitigated ack before maxDuration/);
    expect(r.transitions).toBeLessThanOrEqual(20);
    expect(world.runs.get(r.runId)).toMatchObject({ status: 'DONE', verdict: 'PASSED' });
    expectCleanEnd(world);
  });

  it('the verdict of a held GameDay is still the metrics’: a breach during the fault is DEGRADED', async () => {
    const world = gamedayWorld();
    world.metric = (p, _t, inFault) => (p === 'latency' ? (inFault ? 0.8 : 0.1) : 0);
    const r = await run(world, { gameday: true }, undefined, {}, 1900);
    expect(r.states).toContain('HoldForMitigation');
    expect(r.result?.verdict).toBe('DEGRADED');
    expectCleanEnd(world);
  });

  it('goes on at once when a responder acks mitigated while the run is held', async () => {
    const world = gamedayWorld();
    let current: string | undefined;
    const pending = run(
      world,
      { gameday: true },
      async (event) => {
        current = event.plan.runId;
      },
      {},
      600_000, // ten minutes of hold left: only the ack can end it within the test
    );
    const runId = await holding(world, () => current);
    const start = Date.parse(world.runs.get(runId)?.startedAt ?? '');
    const outcome = await acknowledge(
      { acks: world.deps.acks, tokens: world.tokens, clock: world.deps.clock },
      { runId, kind: 'mitigated', by: 'erin', note: 'rolled back' },
    );
    expect(outcome.released).toBe(true);
    const r = await pending;
    expect(r.outcome.status).toBe('SUCCEEDED');
    expect(r.result?.verdict).toBe('PASSED');
    expect(r.result?.response?.ttmSeconds).toEqual(expect.any(Number));
    expect(r.result?.acks?.map((a) => [a.kind, a.by, a.note])).toEqual([['mitigated', 'erin', 'rolled back']]);
    expect(r.result?.events.some((e) => e.type === 'gameday')).toBe(false);
    expect(Date.parse(r.result?.endedAt ?? '')).toBeGreaterThan(start);
    expectCleanEnd(world);
  });

  it('does not wait at all when the mitigated ack came before the hold', async () => {
    const world = gamedayWorld();
    const r = await run(
      world,
      { gameday: true },
      async (event) => {
        await ackAt(world, event, 'detected', 30_000);
        await ackAt(world, event, 'mitigated', 90_000);
      },
      {},
      600_000,
    );
    expect(r.states).toContain('HoldForMitigation');
    expect(r.result?.response).toMatchObject({ detectedBy: 'ack:alice', ttdSeconds: 30, ttmSeconds: 90 });
    expect(r.result?.acks?.map((a) => a.kind)).toEqual(['detected', 'mitigated']);
    expectCleanEnd(world);
  });

  it('a run that is not a GameDay never holds, and a GameDay past maxDuration does not either', async () => {
    const plain = await run(gamedayWorld());
    expect(plain.states).not.toContain('PrepareHold');
    expect(plain.states).toContain('GameDayHold');
    const late = gamedayWorld();
    late.fault = { runsForMs: MAX_DURATION_MS + 60_000 };
    const overdue = await run(late, { gameday: true });
    expect(overdue.states).not.toContain('HoldForMitigation');
    expectCleanEnd(late);
  });

  it.each([
    ['a Lambda error', 'Error'],
    ['access denied', 'AccessDeniedException'],
  ])(
    'ends in ERROR with the fault ended and the lock released when HoldForMitigation fails with %s',
    async (_what, name) => {
      const world = gamedayWorld();
      const failing: StateHandler = async () => {
        throw Object.assign(new Error(`HoldForMitigation: ${name} (injected)`), { name });
      };
      const r = await run(world, { gameday: true }, undefined, { HoldForMitigation: failing }, 600_000);
      expect(r.outcome.status).toBe('FAILED');
      expect(r.states).toEqual(expect.arrayContaining(['HoldForMitigation', 'StopFault', 'PublishError']));
      expect(r.result?.verdict).toBe('ERROR');
      expect(world.runs.get(r.runId)).toMatchObject({ status: 'DONE', verdict: 'ERROR' });
      expectCleanEnd(world);
    },
  );

  it('refuses an ack after a GameDay was evaluated', async () => {
    const world = gamedayWorld();
    const r = await run(world, { gameday: true }, undefined, {}, 1900);
    await expect(
      acknowledge({ acks: world.deps.acks, clock: world.deps.clock }, { runId: r.runId, kind: 'mitigated', by: 'x' }),
    ).rejects.toMatchObject({ refusal: 'evaluated' });
  });
});
