// The host-starved rule: a sandbox starved by its own machine decides nothing (INCONCLUSIVE naming the host), and
// never lets a FAILED, DEGRADED or PASSED stand on starved data; without host data (AWS) it changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HostMeasurement } from '../../../core/ports.js';
import type { ProbeCheck } from '../../../core/steady-state/checks.js';
import { evaluate } from '../../../core/steps/evaluate.js';
import type { Plan } from '../../../core/steps/plan.js';
import { decideVerdict } from '../../../core/verdict/decide.js';
import type { FaultEnd, VerdictInput } from '../../../core/verdict/model.js';
import {
  hostStarved,
  LATE_SEND_MS,
  STARVED_EVENT_LOOP_DELAY_MS,
  STARVED_LATE_SENDS,
} from '../../../core/verdict/rules/host-starved.js';
import { experiment } from '../../workflow/fakes.js';

const served: HostMeasurement = { periods: 5, eventLoopDelayMs: 22, lateSends: 0, cpuPressure: 0.98 };
const starved: HostMeasurement = { periods: 6, eventLoopDelayMs: 412, lateSends: 0.38, cpuPressure: 1 };
const completed: FaultEnd = { status: 'completed', stopConditionAlarmsFired: false, targetsResolved: true };
const check = (ok: boolean, message: string): ProbeCheck => ({
  name: 'latency_p99',
  probe: 'latency_p99',
  phase: 'fault',
  kind: 'during',
  ok,
  decided: true,
  message,
});
const healthyRun: VerdictInput = {
  preflight: [{ name: 'window', ok: true, message: 'window: inside' }],
  baseline: { held: true, reasons: [] },
  fault: completed,
  hypothesis: { checks: [check(true, 'latency_p99 (fault phase): observed max 20, bound max 250')] },
};

describe('hostStarved', () => {
  it('finds nothing without host data (an AWS run) or when every phase was served well', () => {
    expect(hostStarved({})).toEqual([]);
    expect(hostStarved({ host: { phases: { baseline: served, fault: served, recovery: served } } })).toEqual([]);
    expect(
      hostStarved({
        host: {
          phases: {
            fault: { periods: 5, eventLoopDelayMs: STARVED_EVENT_LOOP_DELAY_MS, lateSends: STARVED_LATE_SENDS },
          },
        },
      }),
    ).toEqual([]);
  });

  it('finds the run INCONCLUSIVE per starved phase, naming the host, the phase, what it saw and the bound', () => {
    const findings = hostStarved({ host: { phases: { baseline: served, fault: starved, recovery: served } } });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ verdict: 'INCONCLUSIVE', voidsMeasurements: true });
    expect(findings[0]!.reason).toBe(
      'host (fault phase): the sandbox was starved of CPU (observed event-loop delay p99 412 ms, load generator 38% ' +
        `late, CPU pressure 100%; bound event-loop delay p99 ≤ ${STARVED_EVENT_LOOP_DELAY_MS} ms and ≤ 10% of requests ` +
        `sent over ${LATE_SEND_MS} ms late) — the measurements describe this machine, not the demo system; rerun on an idle machine`,
    );
  });

  it('counts late sends alone as starvation, and names the load-average fallback', () => {
    const findings = hostStarved({
      host: { phases: { recovery: { periods: 3, eventLoopDelayMs: 40, lateSends: 0.25, loadPerCore: 4.2 } } },
    });
    expect(findings.map((f) => f.reason)).toEqual([
      expect.stringMatching(/^host \(recovery phase\): .*load generator 25% late, load average 4\.2 per core;/),
    ]);
  });
});

describe('decideVerdict with a starved host', () => {
  it('passes a run whose host served it well, as before', () => {
    expect(decideVerdict({ ...healthyRun, host: { phases: { baseline: served, fault: served } } }).verdict).toBe(
      'PASSED',
    );
  });

  it('never passes on starved data', () => {
    const decision = decideVerdict({ ...healthyRun, host: { phases: { baseline: starved } } });
    expect(decision.verdict).toBe('INCONCLUSIVE');
    expect(decision.reasons[0]).toMatch(/^host \(baseline phase\): the sandbox was starved of CPU/);
  });

  it('turns a breach measured on starved data into INCONCLUSIVE, keeping the breach as evidence', () => {
    const breach = 'latency_p99 (fault phase): observed max 309.9, bound max 250';
    const decision = decideVerdict({
      ...healthyRun,
      hypothesis: { checks: [check(false, breach)] },
      host: { phases: { fault: starved } },
    });
    expect(decision.verdict).toBe('INCONCLUSIVE');
    expect(decision.reasons[0]).toMatch(/^host \(fault phase\)/);
    expect(decision.reasons).not.toContain(breach);
  });

  it('does not let a stop-condition alarm fired on starved data make the run FAILED', () => {
    const fault: FaultEnd = {
      status: 'stopped',
      stopConditionAlarmsFired: true,
      firedAlarms: ['error_burst'],
      targetsResolved: true,
    };
    expect(decideVerdict({ ...healthyRun, fault }).verdict).toBe('FAILED');
    const decision = decideVerdict({ ...healthyRun, fault, host: { phases: { fault: starved } } });
    expect(decision.verdict).toBe('INCONCLUSIVE');
    expect(decision.reasons).toHaveLength(1);
  });

  it('does not let the guardrail alarms skip a run on starved data, but keeps a refusal that reads no metric', () => {
    const alarms = { name: 'alarms', ok: false, message: 'alarms: error_burst is ALARM; expected OK' };
    const blackout = { name: 'blackout', ok: false, message: 'blackout (preflight): observed 2026-12-24' };
    expect(decideVerdict({ preflight: [alarms], host: { phases: { preflight: served } } }).verdict).toBe('SKIPPED');
    const starvedAlarm = decideVerdict({ preflight: [alarms], host: { phases: { preflight: starved } } });
    expect(starvedAlarm.verdict).toBe('INCONCLUSIVE');
    expect(starvedAlarm.reasons).toEqual([expect.stringMatching(/^host \(preflight phase\): the sandbox was starved/)]);
    expect(decideVerdict({ preflight: [blackout], host: { phases: { preflight: starved } } }).verdict).toBe('SKIPPED');
    // Before the run, starvation matters only when the alarms refused on it.
    expect(hostStarved({ ...healthyRun, host: { phases: { preflight: starved, baseline: served } } })).toEqual([]);
  });

  it('keeps ERROR, the orchestrator failing, above a starved host', () => {
    const decision = decideVerdict({ ...healthyRun, error: 'Observe: boom', host: { phases: { fault: starved } } });
    expect(decision.verdict).toBe('ERROR');
  });

  it('names the host first when a starved baseline was also out of steady state (nothing injected)', () => {
    const decision = decideVerdict({
      preflight: healthyRun.preflight,
      baseline: { held: false, reasons: ['latency_p99 (baseline phase): observed max 309.9, bound max 250'] },
      host: { phases: { baseline: starved } },
    });
    expect(decision.verdict).toBe('INCONCLUSIVE');
    expect(decision.reasons[0]).toMatch(/^host \(baseline phase\)/);
    expect(decision.reasons[1]).toMatch(/^latency_p99/);
  });

  it('is never PASSED, DEGRADED or FAILED once any deciding phase was starved, whatever else happened', () => {
    const phase = fc.option(fc.constantFrom(served, starved), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          baseline: phase,
          fault: phase,
          recovery: phase,
          breached: fc.boolean(),
          alarm: fc.boolean(),
          error: fc.boolean(),
        }),
        (d) => {
          const phases = { baseline: d.baseline, fault: d.fault, recovery: d.recovery };
          const fault: FaultEnd = d.alarm
            ? { status: 'stopped', stopConditionAlarmsFired: true, targetsResolved: true }
            : completed;
          const { verdict } = decideVerdict({
            ...healthyRun,
            fault,
            hypothesis: { checks: [check(!d.breached, 'latency_p99 (fault phase): observed max 300, bound max 250')] },
            ...(d.error ? { error: 'Evaluate: boom' } : {}),
            host: { phases },
          });
          const anyStarved = Object.values(phases).includes(starved);
          if (anyStarved) expect(['INCONCLUSIVE', 'ERROR']).toContain(verdict);
          if (anyStarved && !d.error) expect(verdict).toBe('INCONCLUSIVE');
        },
      ),
    );
  });
});

describe('the Evaluate step', () => {
  const plan = {
    runId: 'r-1',
    definition: experiment(),
    experiment: 'checkout',
    provider: 'aws',
    trigger: 'manual',
    startedAt: '2026-12-07T06:00:00.000Z',
    periodSeconds: 60,
    dryRun: false,
  } as unknown as Plan;
  const baseline = { held: true, reasons: [], checks: [], window: { start: 0, end: 300_000 } };
  const acks = {
    appendAck: async () => ({ accepted: false, refusal: 'unknown' }) as const,
    readAcks: async () => [],
    closeAcks: async () => [],
  };

  it('runs on AWS deps, which have no host port', async () => {
    const deps = { clock: { now: () => new Date() }, alarms: {} as never, faults: {} as never, acks };
    const { result } = await evaluate(deps, { plan, baseline });
    expect(result.host).toBeUndefined();
  });

  it('asks the host port about the measured phases and records what it said in the result', async () => {
    const asked: number[] = [];
    const host = {
      measure: async (window: { start: number }) => {
        asked.push(window.start);
        return starved;
      },
    };
    const deps = { clock: { now: () => new Date() }, alarms: {} as never, faults: {} as never, acks, host };
    const { result } = await evaluate(deps, { plan, baseline });
    expect(asked).toEqual([0]);
    expect(result.host).toEqual({ starved: true, phases: { baseline: starved } });
    expect(result.verdict).toBe('INCONCLUSIVE');
    expect(result.reasons[0]).toMatch(/^host \(baseline phase\)/);
  });
});
