// A ramp (fault.ramp) on the real statemachines/experiment.asl.json under aws-local-stepfunctions: the steps run one
// after the other through the same states, each with its own FIS template, under one lock, and every path ends with
// the step's fault stopped or finished, a result written and the lock released (DESIGN §4, §9 Ramp).
import { describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../../core/experiment/schema.js';
import { observe } from '../../core/steps/observe.js';
import { runWorkflow, type StateHandler, stateTransitions } from '../../local/workflow.js';
import { createWorld, experiment, type World } from './fakes.js';

const NAME = 'checkout-instance-loss';
const STEPS = ['COUNT(1)', 'COUNT(2)', 'ALL'];
const TEMPLATES = ['EXTstep1', 'EXTstep2', 'EXTstep3'];

/** A run's budget, and per extra step: TargetPools (map + ResolveTargets), Preflight, Baseline, PrepareInjection,
 * InjectFault, Wait, Observe, Evaluate and their Choices (PreflightPassed, BaselineHeld, NextStep). */
const BUDGET = (steps: number) => 20 + 12 * (steps - 1);

function rampWorld(
  options: { steps?: string[]; blastRadius?: { maxTargets?: number; maxPercent?: number }; observe?: string } = {},
): World {
  const steps = options.steps ?? STEPS;
  const base = experiment();
  const fault = base.fault as ExperimentInput['fault'];
  const definition = experiment({
    fault: {
      ...fault,
      ramp: { target: 'web', steps },
      ...(options.observe ? { observe: options.observe, maxDuration: 'PT2H' } : {}),
    },
    guardrails: { alarms: ['checkout-latency-high'], blastRadius: options.blastRadius ?? { maxTargets: 4 } },
  });
  const templateIds = TEMPLATES.slice(0, steps.length);
  const world = createWorld({ experiment: definition, templateId: templateIds[0], stepTemplateIds: templateIds });
  world.pool = ['i-1', 'i-2', 'i-3', 'i-4'];
  // The CDK deploys one template per step; Load reads the first step's back from FIS.
  world.deps.templates = {
    describe: async (id) => ({
      id,
      tags: { 'shaketable:experiment': NAME },
      template: definition.fault.template!,
    }),
  };
  return world;
}

let counter = 0;

async function run(world: World, overrides: Record<string, StateHandler> = {}) {
  const runId = `ramp-${++counter}`;
  const execution = runWorkflow(
    world.deps,
    { experiment: NAME },
    {
      runId,
      waitOverridesMs: { WaitForRecovery: 0 },
      retryPauseMs: 0,
      overrides: {
        Observe: async (i) => {
          world.advance((i as { fault: { waitSeconds: number } }).fault.waitSeconds * 1000);
          return observe(world.deps, i as never);
        },
        ...overrides,
      },
    },
  );
  const outcome = await execution.result;
  const states = execution.events.filter((e) => e.type === 'StateEntered').map((e) => e.state);
  return { outcome, states, transitions: stateTransitions(execution.events), result: world.stored.at(-1), runId };
}

function lockKeys(world: World): string[] {
  const keys: string[] = [];
  const acquire = world.deps.ledger.acquireLock;
  world.deps.ledger.acquireLock = async (key, runId, expiresAt) => {
    keys.push(key);
    return acquire(key, runId, expiresAt);
  };
  return keys;
}

function expectCleanEnd(world: World) {
  expect(world.locks.size).toBe(0);
  for (const f of world.faults.values())
    expect(['pending', 'initiating', 'running', 'stopping']).not.toContain(f.status);
}

/** Healthy everywhere, except `probe` breaches during the fault of `step`. */
const breachAtStep =
  (step: number, probe: string, value: number) => (p: string, _t: number, _in: boolean, fault: number) =>
    p === probe && fault === step ? value : p === 'latency' ? 0.1 : 0;

describe('a ramp (real ASL, local execution)', () => {
  it('runs 3 steps in order, one FIS template per step, under one lock, and passes', async () => {
    const world = rampWorld();
    const keys = lockKeys(world);
    const r = await run(world);
    expect(r.outcome.status).toBe('SUCCEEDED');
    expect(r.result?.verdict).toBe('PASSED');
    expect(world.starts.map((s) => [s.templateId, s.step])).toEqual([
      ['EXTstep1', 1],
      ['EXTstep2', 2],
      ['EXTstep3', 3],
    ]);
    // one lock, taken by the run and re-checked before each step
    expect(new Set(keys).size).toBe(1);
    expect(r.result?.ramp).toEqual({ target: 'web', steps: STEPS });
    expect(r.result?.steps?.map((s) => [s.index, s.selectionMode, s.verdict, s.fis.experimentId])).toEqual([
      [1, 'COUNT(1)', 'PASSED', 'EXP1'],
      [2, 'COUNT(2)', 'PASSED', 'EXP2'],
      [3, 'ALL', 'PASSED', 'EXP3'],
    ]);
    // the top level is the last step's
    expect(r.result?.fis).toMatchObject({ experimentId: 'EXP3', templateId: 'EXTstep3' });
    expect(r.result?.reasons[0]).toBe('ramp: all 3 steps passed (COUNT(1), COUNT(2), ALL)');
    // every step measured its own baseline and its own fault, recovery and evaluation
    expect(r.states.filter((s) => s === 'Preflight')).toHaveLength(3);
    expect(r.states.filter((s) => s === 'Baseline')).toHaveLength(3);
    expect(r.states.filter((s) => s === 'Evaluate')).toHaveLength(3);
    expect(r.states.filter((s) => s === 'Publish')).toHaveLength(1);
    expect(world.notifications).toEqual([
      {
        verdict: 'PASSED',
        experiment: NAME,
        ramp: {
          progress: 'reached 3/3 (PASSED)',
          steps: expect.arrayContaining([expect.stringMatching(/^step 3\/3 ALL: PASSED/)]),
        },
      },
    ]);
    expect(r.transitions).toBeLessThanOrEqual(BUDGET(3));
    expectCleanEnd(world);
  });

  // 13: each step passes the GameDayHold Choice after Observe (a GameDay's hold; one transition for other runs).
  it('takes at most 13 transitions per extra step, whatever the fault length', async () => {
    const short = rampWorld();
    short.fault = { runsForMs: 60_000 };
    const long = rampWorld({ observe: 'PT1H' });
    long.fault = { runsForMs: 3_600_000 };
    const two = rampWorld({ steps: STEPS.slice(0, 2) });
    const [a, b, c] = [await run(short), await run(long), await run(two)];
    expect([a, b, c].map((r) => r.result?.verdict)).toEqual(['PASSED', 'PASSED', 'PASSED']);
    expect(a.transitions).toBe(b.transitions);
    expect(a.transitions - c.transitions).toBeLessThanOrEqual(13);
    expect(c.transitions).toBeLessThanOrEqual(BUDGET(2));
  });

  it('is DEGRADED with 2 steps when step 2 is DEGRADED after step 1 PASSED, and never starts step 3', async () => {
    const world = rampWorld();
    world.metric = breachAtStep(2, 'latency', 0.8);
    const r = await run(world);
    expect(r.result?.verdict).toBe('DEGRADED');
    expect(r.result?.steps?.map((s) => [s.index, s.verdict])).toEqual([
      [1, 'PASSED'],
      [2, 'DEGRADED'],
    ]);
    expect(world.starts).toHaveLength(2);
    expect(r.result?.reasons.some((x) => x.startsWith('step 2 of 3 (COUNT(2)): ') && /latency/.test(x))).toBe(true);
    expect(r.result?.reasons).toContain('ramp: stopped at step 2 of 3; passed before it: step 1 of 3 (COUNT(1))');
    expect(r.result?.fis.experimentId).toBe('EXP2');
    expect(world.notifications.at(-1)?.ramp?.steps).toHaveLength(2);
    expectCleanEnd(world);
  });

  it('is SKIPPED, injecting nothing, when any step would exceed the blast radius', async () => {
    const world = rampWorld({ blastRadius: { maxTargets: 2 } });
    const r = await run(world);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(world.calls).not.toContain('StartExperiment');
    expect(r.result?.reasons).toEqual([
      'blastRadius: step 3 of 3 (ALL): would hit 4 of 4 aws:ec2:instance, above maxTargets 2; lower the selection mode or raise guardrails.blastRadius',
    ]);
    // no step was reached: nothing was injected
    expect(r.result?.steps).toEqual([]);
    expect(r.result?.ramp?.steps).toEqual(STEPS);
    expectCleanEnd(world);
  });

  it('is SKIPPED naming the steps that passed when the pool shrank below a later step', async () => {
    const world = rampWorld({ steps: ['COUNT(1)', 'COUNT(2)'], blastRadius: { maxPercent: 50 } });
    const start = world.deps.faults.start;
    world.deps.faults.start = async (request) => {
      // step 1 terminates an instance that is not replaced: COUNT(2) of 3 is now above 50 %
      world.pool = ['i-1', 'i-2', 'i-3'];
      return start(request);
    };
    const r = await run(world);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(world.starts).toHaveLength(1);
    expect(r.result?.reasons.join('\n')).toMatch(/step 2 of 2 \(COUNT\(2\)\): .*above maxPercent 50/);
    expect(r.result?.reasons).toContain('ramp: stopped at step 2 of 2; passed before it: step 1 of 2 (COUNT(1))');
    // step 2 was refused before injecting: the steps reached are step 1's
    expect(r.result?.steps?.map((s) => s.verdict)).toEqual(['PASSED']);
    expectCleanEnd(world);
  });

  describe('a failure inside a step stops that step’s fault and ends with ERROR and the lock released', () => {
    for (const step of [1, 2, 3]) {
      it(`InjectFault of step ${step}`, async () => {
        const world = rampWorld();
        const start = world.deps.faults.start;
        world.deps.faults.start = async (request) => {
          // this step's fault keeps running until someone stops it
          world.fault = request.step === step ? { hangs: true } : {};
          return start(request);
        };
        const update = world.deps.ledger.updateRun;
        world.deps.ledger.updateRun = async (runId, fields) => {
          if (fields.fisExperimentId && fields.faultStep === step)
            throw Object.assign(new Error('access denied'), { name: 'AccessDeniedException' });
          return update(runId, fields);
        };
        const r = await run(world);
        expect(r.outcome.status).toBe('FAILED');
        expect(r.result?.verdict).toBe('ERROR');
        expect(world.calls).toContain(`StopExperiment:EXP${step}`);
        expect(world.calls.filter((c) => c.startsWith('StopExperiment'))).toHaveLength(1);
        expect(r.result?.steps?.map((s) => s.verdict)).toEqual([...Array(step - 1).fill('PASSED'), 'ERROR']);
        expect(r.result?.reasons[0]).toMatch(new RegExp(`^step ${step} of 3 .*access denied`));
        expectCleanEnd(world);
      });

      for (const state of ['Observe', 'Evaluate']) {
        it(`${state} of step ${step}`, async () => {
          const world = rampWorld();
          let calls = 0;
          const real: StateHandler =
            state === 'Observe'
              ? async (i) => {
                  world.advance((i as { fault: { waitSeconds: number } }).fault.waitSeconds * 1000);
                  return observe(world.deps, i as never);
                }
              : async (i) => (await import('../../core/steps/evaluate.js')).evaluate(world.deps, i as never);
          const r = await run(world, {
            [state]: async (i) => {
              if (++calls === step) throw Object.assign(new Error(`${state} crashed`), { name: 'Error' });
              return real(i);
            },
          });
          expect(r.outcome.status).toBe('FAILED');
          expect(r.states).toEqual(expect.arrayContaining(['StopFault', 'PublishError']));
          expect(r.result?.verdict).toBe('ERROR');
          expect(world.starts).toHaveLength(step);
          expect(r.result?.steps?.map((s) => s.verdict)).toEqual([...Array(step - 1).fill('PASSED'), 'ERROR']);
          expect(r.result?.steps?.at(-1)?.fis.experimentId).toBe(`EXP${step}`);
          expect(r.result?.reasons[0]).toMatch(new RegExp(`^step ${step} of 3 .*${state} crashed`));
          expectCleanEnd(world);
        });
      }
    }
  });
});
