// Responders' acknowledgements and GameDays on the real statemachines/experiment.asl.json (aws-local-stepfunctions,
// fakes of test/workflow/fakes.ts): acks count for time-to-detect and time-to-mitigate until Evaluate closes the run
// to them, and a GameDay run holds Evaluate for a `mitigated` ack, at most until maxDuration after the fault started.
import { describe, expect, it } from 'vitest';
import { type AckKind, AckRefusedError, acknowledge } from '../../core/run/acks.js';
import { observe } from '../../core/steps/observe.js';
import { runWorkflow, type StateHandler, stateTransitions } from '../../local/workflow.js';
import { createWorld, experiment, type World } from './fakes.js';

let counter = 0;

type Observed = { plan: { runId: string }; fault: { waitSeconds: number; startTime?: string } };

/** Runs the workflow; `duringFault` runs when the fault has ended and before Observe (the responders' time). */
async function run(
  world: World,
  input: Record<string, unknown> = {},
  duringFault: (event: Observed) => Promise<void> = async () => undefined,
  overrides: Record<string, StateHandler> = {},
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
