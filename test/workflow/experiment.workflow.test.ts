// The real statemachines/experiment.asl.json executed by aws-local-stepfunctions, every Task state running the
// real step code against plain fakes of the ports (test/workflow/fakes.ts). Waits are skipped on a virtual clock.
import { describe, expect, it } from 'vitest';
import { holidayTable } from '../../core/guardrails/date-holidays-calendar.js';
import { faultEnded } from '../../core/steps/fault-ended.js';
import { janitor } from '../../core/steps/janitor.js';
import { observe } from '../../core/steps/observe.js';
import { runWorkflow, type StateHandler, stateTransitions } from '../../local/workflow.js';
import { breachDuringFault, createWorld, experiment, type World } from './fakes.js';

let counter = 0;

async function run(
  world: World,
  input: unknown = { experiment: 'checkout-instance-loss' },
  overrides: Record<string, StateHandler> = {},
) {
  const runId = `run-${++counter}`;
  const execution = runWorkflow(world.deps, input, {
    runId,
    waitOverridesMs: { WaitForRecovery: 0 },
    retryPauseMs: 0,
    overrides: {
      // The Wait is skipped in real time; the virtual clock moves by what it would have waited.
      Observe: async (i) => {
        world.advance((i as { fault: { waitSeconds: number } }).fault.waitSeconds * 1000);
        return observe(world.deps, i as never);
      },
      ...overrides,
    },
  });
  const outcome = await execution.result;
  const states = execution.events.filter((e) => e.type === 'StateEntered').map((e) => e.state);
  return {
    outcome,
    states,
    transitions: stateTransitions(execution.events),
    result: world.stored.at(-1),
    runId,
    run: world.runs.get(runId),
  };
}

function expectCleanEnd(world: World) {
  expect(world.locks.size).toBe(0);
  for (const f of world.faults.values())
    expect(['pending', 'initiating', 'running', 'stopping']).not.toContain(f.status);
}

describe('the experiment workflow (real ASL, local execution)', () => {
  it('passes a healthy run in at most 20 state transitions, with the lock released and SNS told', async () => {
    const world = createWorld({ experiment: experiment() });
    const r = await run(world);
    expect(r.outcome.status).toBe('SUCCEEDED');
    expect(r.result?.verdict).toBe('PASSED');
    expect(r.transitions).toBeLessThanOrEqual(20);
    expect(world.calls.filter((c) => c === 'StartExperiment')).toHaveLength(1);
    expect(world.calls.filter((c) => c === 'GetMetricData')).toHaveLength(2);
    expect(world.notifications).toEqual([{ verdict: 'PASSED', experiment: 'checkout-instance-loss' }]);
    expect(r.run?.status).toBe('DONE');
    expectCleanEnd(world);
  });

  it('takes as many transitions for a 60-minute fault as for a 1-minute one', async () => {
    const short = createWorld({ experiment: experiment() });
    short.fault = { runsForMs: 60_000 };
    const long = createWorld({ experiment: experiment() });
    long.fault = { runsForMs: 3_600_000 };
    const [a, b] = [await run(short), await run(long)];
    expect(a.result?.verdict).toBe('PASSED');
    expect(b.result?.verdict).toBe('PASSED');
    expect(a.transitions).toBe(b.transitions);
  });

  it('resolves each resource type in its own iteration of TargetPools', async () => {
    const base = experiment();
    const template = base.fault.template!;
    const world = createWorld({
      experiment: experiment({
        fault: {
          ...base.fault,
          template: {
            ...template,
            targets: {
              ...template.targets,
              db: { resourceType: 'aws:rds:db', resourceTags: { app: 'checkout' }, selectionMode: 'COUNT(1)' },
            },
            actions: {
              ...template.actions,
              reboot: { actionId: 'aws:rds:reboot-db-instances', targets: { DBInstances: 'db' } },
            },
          },
        },
      }),
    });
    world.pool = ['a', 'b', 'c', 'd'];
    const r = await run(world);
    expect(r.result?.verdict).toBe('PASSED');
    expect(r.states.filter((s) => s === 'ResolveTargets')).toHaveLength(2);
    const blastRadius = r.result?.preflight.checks.find((c) => c.name === 'blastRadius');
    expect(blastRadius?.observed).toEqual({
      'aws:ec2:instance': { hit: 1, pool: 4 },
      'aws:rds:db': { hit: 1, pool: 4 },
    });
    // Preflight checks are the guardrails only; the probes' baseline/fault/recovery checks are kept apart.
    const probeCheck = /^[a-z][a-zA-Z0-9_]*\.(baseline|fault|recovery)\.[a-z]+$/;
    expect(r.result?.preflight.checks.filter((c) => probeCheck.test(c.name))).toEqual([]);
    const hypothesis = r.result?.hypothesisChecks ?? [];
    expect(hypothesis.length).toBeGreaterThan(0);
    expect(hypothesis.every((c) => probeCheck.test(c.name))).toBe(true);
    expect(new Set(hypothesis.map((c) => c.name.split('.')[1]))).toEqual(new Set(['baseline', 'fault', 'recovery']));
    expectCleanEnd(world);
  });

  it('is DEGRADED when an expect.during bound is breached', async () => {
    const world = createWorld({ experiment: experiment() });
    world.metric = breachDuringFault('latency', 0.8);
    const r = await run(world);
    expect(r.result?.verdict).toBe('DEGRADED');
    expect(r.result?.reasons.join('\n')).toMatch(/latency/);
    expectCleanEnd(world);
  });

  it('is DEGRADED when recovery takes longer than expect.recovery', async () => {
    const world = createWorld({ experiment: experiment() });
    const start = () => world.faultWindow()?.start ?? Number.POSITIVE_INFINITY;
    world.metric = (p, t) => (p === 'latency' ? (t >= start() ? 0.3 : 0.1) : 0);
    const r = await run(world);
    expect(r.result?.verdict).toBe('DEGRADED');
    expect(r.result?.reasons.join('\n')).toMatch(/recover/i);
  });

  it('is FAILED when a stop-condition alarm stopped the fault', async () => {
    const world = createWorld({ experiment: experiment() });
    world.fault = { endStatus: 'stopped', endReason: 'Experiment stopped by stop condition' };
    const start = Date.now();
    world.alarmHistory = [{ name: 'checkout-5xx-high', at: start + 500 }];
    const r = await run(world);
    expect(r.result?.verdict).toBe('FAILED');
    expect(r.result?.reasons.join('\n')).toMatch(/checkout-5xx-high/);
    expectCleanEnd(world);
  });

  it('measures time-to-detect from the alarm history when a detection alarm went to ALARM in time', async () => {
    const detect = { alarms: ['checkout-errors-page'], within: 'PT2S' };
    const world = createWorld({ experiment: experiment({ expect: { recovery: 'PT5M', detect } }) });
    // The detection alarm goes to ALARM 1.5 s after the fault started, whenever that is.
    Object.defineProperty(world, 'alarmHistory', {
      get: () => {
        const start = world.faultWindow()?.start;
        return start === undefined ? [] : [{ name: 'checkout-errors-page', at: start + 1500 }];
      },
    });
    const r = await run(world);
    expect(r.result?.verdict).toBe('PASSED');
    expect(r.result?.response).toMatchObject({ detectedBy: 'checkout-errors-page', ttdSeconds: 1.5, ttmSeconds: null });
    expect(typeof r.result?.response?.ttrSeconds).toBe('number');
    expect(world.calls.filter((c) => c === 'GetMetricData')).toHaveLength(2);
    expect(r.transitions).toBeLessThanOrEqual(20);
    expectCleanEnd(world);
  });

  it('is DEGRADED naming detection when no detection alarm went to ALARM within the window', async () => {
    const detect = { alarms: ['checkout-errors-page'], within: 'PT2S' };
    const world = createWorld({ experiment: experiment({ expect: { recovery: 'PT5M', detect } }) });
    world.alarmStates['checkout-errors-page'] = 'ALARM'; // an observer: not checked before the run
    const r = await run(world);
    expect(r.result?.verdict).toBe('DEGRADED');
    expect(r.result?.reasons).toEqual(['detect: no alarm of checkout-errors-page went to ALARM within PT2S']);
    expect(r.result?.response).toMatchObject({ detectedBy: null, ttdSeconds: null, ttmSeconds: null });
    expectCleanEnd(world);
  });

  it('is SKIPPED, injecting nothing, when an alarm is not OK', async () => {
    const world = createWorld({ experiment: experiment() });
    world.alarmStates = { 'checkout-latency-high': 'ALARM' };
    const r = await run(world);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(world.calls).not.toContain('StartExperiment');
    expect(r.result?.reasons.join('\n')).toMatch(/checkout-latency-high/);
    expectCleanEnd(world);
  });

  it('is SKIPPED, injecting nothing, naming the last run when a required run is missing', async () => {
    const world = createWorld({
      experiment: experiment({
        guardrails: { requires: [{ experiment: 'checkout-staging', verdict: 'PASSED', within: 'P7D' }] },
      }),
    });
    const endedAt = new Date(world.now() - 3_600_000).toISOString();
    world.runs.set('staging-1', {
      runId: 'staging-1',
      experiment: 'checkout-staging',
      status: 'DONE',
      startedAt: endedAt,
      endedAt,
      verdict: 'DEGRADED',
    });
    const r = await run(world);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(world.calls).not.toContain('StartExperiment');
    expect(r.result?.reasons).toContain(
      `requires: no PASSED run of checkout-staging ended within P7D (last run staging-1 DEGRADED, ended ${endedAt}); run checkout-staging first`,
    );
    expectCleanEnd(world);
  });

  it('runs when a required run passed within the duration', async () => {
    const world = createWorld({
      experiment: experiment({
        guardrails: { requires: [{ experiment: 'checkout-staging', verdict: 'PASSED', within: 'P7D' }] },
      }),
    });
    const endedAt = new Date(world.now() - 6 * 86_400_000).toISOString();
    world.runs.set('staging-1', {
      runId: 'staging-1',
      experiment: 'checkout-staging',
      status: 'DONE',
      startedAt: endedAt,
      endedAt,
      verdict: 'PASSED',
    });
    const r = await run(world);
    expect(r.result?.verdict).toBe('PASSED');
    expect(world.calls).toContain('StartExperiment');
  });

  it('is SKIPPED, injecting nothing, while the change calendar is CLOSED', async () => {
    const world = createWorld({ experiment: experiment({ guardrails: { changeCalendar: 'production-freeze' } }) });
    world.deps.changeCalendar = { state: async () => 'CLOSED' };
    const r = await run(world);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(world.calls).not.toContain('StartExperiment');
    expect(r.result?.reasons).toContain(
      'changeCalendar: production-freeze is CLOSED, expected OPEN; run when the calendar opens',
    );
    expectCleanEnd(world);
  });

  it('is SKIPPED, injecting nothing, when a stack starts deploying between Preflight and InjectFault', async () => {
    const world = createWorld({
      experiment: experiment({ guardrails: { deployments: { stacks: ['checkout-prod'] } } }),
    });
    let reads = 0;
    world.deps.deployments = {
      statuses: async (stacks) =>
        stacks.map((stack) => ({ stack, status: ++reads > 1 ? 'UPDATE_IN_PROGRESS' : 'UPDATE_COMPLETE' })),
    };
    const r = await run(world);
    expect(reads).toBe(2);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(world.calls).not.toContain('StartExperiment');
    expect(r.result?.reasons.join('\n')).toContain(
      'deployments: checkout-prod is UPDATE_IN_PROGRESS; run when the deployment has ended',
    );
    expectCleanEnd(world);
  });

  it('is SKIPPED when the kill switch is on', async () => {
    const world = createWorld({ experiment: experiment() });
    world.killSwitch = { on: true, reason: 'incident 42' };
    const r = await run(world);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(world.calls).not.toContain('StartExperiment');
  });

  it('is SKIPPED naming the holder when another run holds the target lock', async () => {
    const world = createWorld({ experiment: experiment() });
    world.locks.set('any', { owner: 'other-run', expiresAt: Date.now() / 1000 + 3600 });
    const realAcquire = world.deps.ledger.acquireLock;
    world.deps.ledger.acquireLock = async (key, runId, expiresAt) => {
      const held = world.locks.get('any')!;
      world.locks.delete('any');
      world.locks.set(key, held);
      return realAcquire(key, runId, expiresAt);
    };
    const r = await run(world);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(r.result?.reasons.join('\n')).toMatch(/other-run/);
    expect(world.calls).not.toContain('StartExperiment');
    expect([...world.locks.values()][0]?.owner).toBe('other-run');
  });

  it('is SKIPPED on a public holiday of the table the catalog was deployed with', async () => {
    const world = createWorld({
      experiment: experiment({ guardrails: { holidays: 'DE-BE' } as never }),
      holidays: [holidayTable('DE-BE', 2026, 2026)],
    });
    world.offsetMs = Date.parse('2026-12-25T10:00:00Z') - Date.now();
    const r = await run(world);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(r.result?.reasons.join('\n')).toMatch(/public holiday in DE-BE \(Christmas Day\)/);
    expect(world.calls).not.toContain('StartExperiment');
  });

  it('refuses a date beyond the deployed holiday table, asking for a redeploy', async () => {
    const world = createWorld({
      experiment: experiment({ guardrails: { holidays: 'DE-BE' } as never }),
      holidays: [holidayTable('DE-BE', 2026, 2026)],
    });
    world.offsetMs = Date.parse('2027-03-03T10:00:00Z') - Date.now();
    const r = await run(world);
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(r.result?.reasons.join('\n')).toMatch(/redeploy/);
  });

  it('is INCONCLUSIVE and injects nothing when the baseline is not steady', async () => {
    const world = createWorld({ experiment: experiment() });
    world.metric = (p) => (p === 'latency' ? 0.3 : 0);
    const r = await run(world);
    expect(r.result?.verdict).toBe('INCONCLUSIVE');
    expect(world.calls).not.toContain('StartExperiment');
    expectCleanEnd(world);
  });

  it('runs preflight and baseline only on a dry run, and says so', async () => {
    const world = createWorld({ experiment: experiment() });
    const r = await run(world, { experiment: 'checkout-instance-loss', dryRun: true });
    expect(r.result?.verdict).toBe('SKIPPED');
    expect(r.result?.reasons.join('\n')).toMatch(/dry run/i);
    expect(world.calls).not.toContain('StartExperiment');
    expectCleanEnd(world);
  });

  it('supervises, rather than re-checks, a fault a lost InjectFault answer had already started', async () => {
    const world = createWorld({ experiment: experiment() });
    const start = world.deps.faults.start;
    let attempts = 0;
    world.deps.faults.start = async (request) => {
      const started = await start(request);
      // FIS started it, but the invocation's answer is lost: Step Functions retries the task.
      if (++attempts === 1) throw Object.assign(new Error('connection reset'), { name: 'Lambda.ServiceException' });
      return started;
    };
    // The retry's re-check would see the alarm the fault tripped; it must not refuse the running fault.
    const getStates = world.deps.alarms.getStates;
    world.deps.alarms.getStates = async (names) =>
      attempts > 0 ? names.map((name) => ({ name, state: 'ALARM' as const })) : getStates(names);
    const r = await run(world);
    expect(attempts).toBe(1);
    expect(world.calls.filter((c) => c === 'StartExperiment')).toHaveLength(1);
    expect(r.result?.verdict).not.toBe('SKIPPED');
    expect(r.result?.fis.experimentId).toBe('EXP1');
    expectCleanEnd(world);
  });

  describe('approval', () => {
    const withApproval = () =>
      createWorld({
        experiment: experiment({ guardrails: { approval: { required: true, timeout: 'PT1S' } } as never }),
      });

    const answer = (world: World, decide: (token: string) => Promise<boolean>) => {
      const timer = setInterval(() => {
        const token = world.tokens.pending().find((t) => t.includes('/Approval/'));
        if (token) {
          clearInterval(timer);
          void decide(token);
        }
      }, 5);
      return timer;
    };

    it('does not wait for approval on a dry run, which injects nothing', async () => {
      const world = withApproval();
      const r = await run(world, { experiment: 'checkout-instance-loss', dryRun: true });
      expect(world.approvals).toEqual([]);
      expect(r.states).not.toContain('Approval');
      expect(r.result?.verdict).toBe('SKIPPED');
    });

    it('goes on when approved', async () => {
      const world = withApproval();
      const timer = answer(world, (t) => world.tokens.succeed(t, { approved: true, by: 'alice' }));
      const r = await run(world);
      clearInterval(timer);
      expect(world.approvals).toHaveLength(1);
      expect(r.result?.verdict).toBe('PASSED');
    });

    it('is SKIPPED when rejected', async () => {
      const world = withApproval();
      const timer = answer(world, (t) => world.tokens.fail(t, 'Shaketable.ApprovalRejected', 'not today'));
      const r = await run(world);
      clearInterval(timer);
      expect(r.result?.verdict).toBe('SKIPPED');
      expect(r.result?.reasons.join('\n')).toMatch(/reject/i);
      expect(world.calls).not.toContain('StartExperiment');
      expectCleanEnd(world);
    });

    it('is SKIPPED when nobody answers in time', async () => {
      const world = withApproval();
      const r = await run(world);
      expect(r.result?.verdict).toBe('SKIPPED');
      expect(r.result?.reasons.join('\n')).toMatch(/timed out|timeout/i);
      expectCleanEnd(world);
    });
  });

  describe('FIS end states', () => {
    it.each([
      ['cancelled', undefined, 'SKIPPED'],
      ['failed', ['i-1'], 'ERROR'],
      ['failed', [], 'SKIPPED'],
      ['exploded', ['i-1'], 'ERROR'],
    ])('%s (targets %j) gives %s', async (endStatus, targets, verdict) => {
      const world = createWorld({ experiment: experiment() });
      world.fault = { endStatus, ...(targets ? { targets } : {}) };
      const r = await run(world);
      expect(r.result?.verdict).toBe(verdict);
      expectCleanEnd(world);
    });

    it('stopped by a halt is INCONCLUSIVE', async () => {
      const world = createWorld({ experiment: experiment() });
      world.fault = { hangs: true };
      const timer = setInterval(async () => {
        const run = [...world.runs.values()].find((r) => r.fisExperimentId);
        if (!run?.fisExperimentId) return;
        clearInterval(timer);
        // what `shaketable halt` does: the cause first, then StopExperiment
        await world.deps.ledger.updateRun(run.runId, { stopCause: 'halt' });
        await world.deps.faults.stop(run.fisExperimentId);
      }, 5);
      const r = await run(world);
      clearInterval(timer);
      expect(r.result?.verdict).toBe('INCONCLUSIVE');
      expect(r.result?.reasons.join('\n')).toMatch(/halt/);
    });

    it('stopped with no stop condition in ALARM (operator) is INCONCLUSIVE', async () => {
      const world = createWorld({ experiment: experiment() });
      world.fault = { endStatus: 'stopped' };
      const r = await run(world);
      expect(r.result?.verdict).toBe('INCONCLUSIVE');
    });
  });

  describe('lost, late and duplicate events', () => {
    it('asks FIS when the event is lost, and goes on when the experiment had ended', async () => {
      const world = createWorld({ experiment: experiment() });
      world.fault = { delivery: 'lost' };
      const r = await run(world);
      expect(r.states).toContain('Reconcile');
      expect(r.result?.verdict).toBe('PASSED');
      expectCleanEnd(world);
    });

    it('stops a fault still running at maxDuration and reports ERROR', async () => {
      const world = createWorld({ experiment: experiment() });
      world.fault = { hangs: true };
      const r = await run(world);
      expect(r.states).toEqual(expect.arrayContaining(['Reconcile', 'StopOverdueFault']));
      expect(world.calls.some((c) => c.startsWith('StopExperiment'))).toBe(true);
      expect(r.result?.verdict).toBe('ERROR');
      expect(r.result?.reasons.join('\n')).toMatch(/maxDuration/);
      expect(world.runs.get(r.runId)?.stopCause).toBe('maxDuration');
      expectCleanEnd(world);
    });

    it('treats an event delivered twice as harmless', async () => {
      const world = createWorld({ experiment: experiment() });
      world.fault = { delivery: 'twice' };
      const r = await run(world);
      expect(r.result?.verdict).toBe('PASSED');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(world.calls.filter((c) => c.startsWith('FaultEnded')).sort()).toEqual([
        'FaultEnded:already-completed',
        'FaultEnded:completed',
      ]);
    });

    it('handles an end event that arrives before InjectFault recorded the experiment id', async () => {
      const world = createWorld({ experiment: experiment() });
      world.fault = { endsDuringStart: true };
      const r = await run(world);
      expect(r.result?.verdict).toBe('PASSED');
      // FaultEnded does not trust the early event; InjectFault read the ended fault after recording its id.
      expect(world.calls).toContain('FaultEnded:ignored');
      expect(world.calls).not.toContain('FaultEnded:completed');
    });

    it('never lets another experiment carrying the run tag complete the token before the id is recorded', async () => {
      const world = createWorld({ experiment: experiment() });
      const start = world.deps.faults.start;
      const forged: Array<Awaited<ReturnType<typeof faultEnded>>> = [];
      world.deps.faults.start = async (request) => {
        // The window: the token is stored, the run's experiment id is not. Someone able to start a tagged FIS
        // experiment copies this run's tag onto one that has already failed, and its event arrives first.
        expect(world.runs.get(request.runId)).toMatchObject({ taskToken: expect.any(String) });
        expect(world.runs.get(request.runId)?.fisExperimentId).toBeUndefined();
        world.faults.set('EXPforged', {
          experimentId: 'EXPforged',
          status: 'failed',
          reason: 'forged',
          tags: { 'shaketable:run': request.runId },
        });
        forged.push(
          await faultEnded(world.deps, {
            'detail-type': 'FIS Experiment State Change',
            source: 'aws.fis',
            detail: { 'experiment-id': 'EXPforged', 'new-state': { status: 'failed', reason: 'forged' } },
          }),
        );
        return start(request);
      };
      const r = await run(world);
      expect(forged).toEqual([
        {
          action: 'ignored',
          reason: expect.stringMatching(/has not recorded its experiment yet; EXPforged is not trusted/),
        },
      ]);
      // The run followed its own experiment (EXP1) to the end, untouched by the forged failure.
      expect(r.run?.fisExperimentId).toBe('EXP1');
      expect(r.result?.verdict).toBe('PASSED');
      expect(world.calls).toContain('FaultEnded:completed');

      // Once the id is recorded, a forged event is refused by id as before.
      const late = await faultEnded(world.deps, {
        'detail-type': 'FIS Experiment State Change',
        source: 'aws.fis',
        detail: { 'experiment-id': 'EXPforged', 'new-state': { status: 'failed' } },
      });
      expect(late.action).toBe('ignored');
    });
  });

  describe('errors before injection', () => {
    it('a target pool that cannot be read ends with an ERROR result, nothing injected and no lock held', async () => {
      const world = createWorld({ experiment: experiment() });
      const r = await run(world, undefined, {
        ResolveTargets: async () => {
          throw Object.assign(new Error('not authorized to perform ec2:DescribeInstances'), {
            name: 'AccessDeniedException',
          });
        },
      });
      expect(r.outcome.status).toBe('FAILED');
      expect(r.states).not.toContain('Preflight');
      expect(r.states).toEqual(expect.arrayContaining(['StopFault', 'PublishError']));
      expect(r.result?.verdict).toBe('ERROR');
      expect(r.result?.reasons.join('\n')).toMatch(/ec2:DescribeInstances/);
      expect(world.calls).not.toContain('StartExperiment');
      // Load recorded the run, so the ERROR result reaches the run table (and SNS) too
      expect(r.run?.status).toBe('DONE');
      expect(world.notifications).toEqual([{ verdict: 'ERROR', experiment: 'checkout-instance-loss' }]);
      expectCleanEnd(world);
    });

    it('a template FIS cannot return fails Load with its cause, before anything runs', async () => {
      const world = createWorld({ experiment: experiment(), templateId: 'EXTgone' });
      world.deps.templates = {
        describe: async (id) => {
          throw Object.assign(new Error(`template ${id} not found`), { name: 'ResourceNotFoundException' });
        },
      };
      const r = await run(world);
      expect(r.outcome.status).toBe('FAILED');
      expect(r.outcome.error).toBe('ResourceNotFoundException');
      expect(r.outcome.cause).toMatch(/EXTgone not found/);
      expect(r.states).toEqual(['Load', 'LoadFailed']);
      expect(world.calls).not.toContain('StartExperiment');
      // The run was recorded before the read: the execution's FAILED event has the Janitor write its ERROR result.
      expect(r.run?.status).toBe('RUNNING');
      const event = {
        source: 'aws.states',
        'detail-type': 'Step Functions Execution Status Change',
        detail: { name: r.runId, status: 'FAILED', error: r.outcome.error, cause: r.outcome.cause },
      };
      expect((await janitor(world.deps, event)).cleaned).toEqual([{ runId: r.runId }]);
      expect(world.runs.get(r.runId)?.status).toBe('DONE');
      expect(world.stored.at(-1)?.verdict).toBe('ERROR');
      expect(world.stored.at(-1)?.reasons.join('\n')).toMatch(
        /execution FAILED \(ResourceNotFoundException: .*EXTgone not found/,
      );
    });
  });

  describe('errors after injection', () => {
    for (const state of ['Observe', 'Evaluate', 'Publish']) {
      it(`a Lambda error in ${state} ends with the fault finished, an ERROR result and the lock released`, async () => {
        const world = createWorld({ experiment: experiment() });
        const r = await run(world, undefined, {
          [state]: async () => {
            throw Object.assign(new Error(`${state} crashed`), { name: 'Error' });
          },
        });
        expect(r.outcome.status).toBe('FAILED');
        expect(r.outcome.error).toBe('Shaketable.RunFailed');
        expect(r.states).toEqual(expect.arrayContaining(['StopFault', 'PublishError']));
        expect(r.result?.verdict).toBe('ERROR');
        expect(r.result?.reasons.join('\n')).toMatch(new RegExp(`${state} crashed`));
        expectCleanEnd(world);
      });
    }

    it('an error inside InjectFault after StartExperiment stops the running fault', async () => {
      const world = createWorld({ experiment: experiment() });
      world.fault = { hangs: true };
      const update = world.deps.ledger.updateRun;
      world.deps.ledger.updateRun = async (runId, fields) => {
        if (fields.fisExperimentId) throw Object.assign(new Error('access denied'), { name: 'AccessDeniedException' });
        return update(runId, fields);
      };
      const r = await run(world);
      expect(r.outcome.status).toBe('FAILED');
      expect(r.result?.verdict).toBe('ERROR');
      // the pointer write failed: StopFault finds the experiment by its shaketable:run tag
      expect(world.calls.some((c) => c.startsWith('StopExperiment'))).toBe(true);
      expectCleanEnd(world);
    });

    it('a Reconcile error after a lost event stops the fault', async () => {
      const world = createWorld({ experiment: experiment() });
      world.fault = { hangs: true };
      const r = await run(world, undefined, {
        Reconcile: async () => {
          throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        },
      });
      expect(r.result?.verdict).toBe('ERROR');
      expect(world.calls.some((c) => c.startsWith('StopExperiment'))).toBe(true);
      expect(world.runs.get(r.runId)?.stopCause).toBe('orchestrator-error');
      expectCleanEnd(world);
    });

    it('retries throttling and then goes on', async () => {
      const world = createWorld({ experiment: experiment() });
      let calls = 0;
      const r = await run(world, undefined, {
        Observe: async (i) => {
          if (++calls <= 2) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
          world.advance((i as { fault: { waitSeconds: number } }).fault.waitSeconds * 1000);
          return observe(world.deps, i as never);
        },
      });
      expect(calls).toBe(3);
      expect(r.result?.verdict).toBe('PASSED');
    });

    it('keeps the result when the notification fails', async () => {
      const world = createWorld({ experiment: experiment() });
      world.notifierDown = true;
      const r = await run(world);
      expect(r.outcome.status).toBe('SUCCEEDED');
      expect(r.result?.verdict).toBe('PASSED');
      expect(world.stored).toHaveLength(1);
      expect(r.run?.resultUri).toBeDefined();
    });

    it('retries the result store when S3 fails once', async () => {
      const world = createWorld({ experiment: experiment() });
      world.storeFailures = 1;
      const r = await run(world);
      expect(r.result?.verdict).toBe('PASSED');
      expect(world.stored).toHaveLength(1);
    });
  });

  describe('gate', () => {
    it('fails a gated run whose verdict is not allowed', async () => {
      const world = createWorld({ experiment: experiment() });
      world.metric = breachDuringFault('latency', 0.8);
      const r = await run(world, { experiment: 'checkout-instance-loss', gate: true });
      expect(r.result?.verdict).toBe('DEGRADED');
      expect(r.outcome).toMatchObject({ status: 'FAILED', error: 'Shaketable.VerdictNotAllowed' });
    });

    it('lets a gated run pass when its verdict is allowed', async () => {
      const world = createWorld({ experiment: experiment() });
      world.metric = breachDuringFault('latency', 0.8);
      const r = await run(world, { experiment: 'checkout-instance-loss', gate: true, allow: ['DEGRADED'] });
      expect(r.outcome.status).toBe('SUCCEEDED');
    });
  });

  it('rejects input that names a template or any unknown field, starting nothing', async () => {
    const world = createWorld({ experiment: experiment() });
    const r = await run(world, { experiment: 'checkout-instance-loss', templateId: 'EXTevil' });
    expect(r.outcome).toMatchObject({ status: 'FAILED', error: 'Shaketable.InvalidInput' });
    expect(world.runs.size).toBe(0);
    expect(world.calls).toEqual([]);
  });
});
