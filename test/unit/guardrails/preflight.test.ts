import { describe, expect, it } from 'vitest';
import { publicHolidaysOn } from '../../../core/guardrails/date-holidays-calendar.js';
import {
  alarmName,
  alarmNamesToCheck,
  evaluatePreflight,
  type PreflightInput,
  refusalReasons,
} from '../../../core/guardrails/preflight.js';
import type { ExternalTemplate } from '../../../core/ports.js';
import { experimentFixture } from './experiment-fixture.js';

const guarded = experimentFixture({
  guardrails: {
    window: { days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], between: '09:30-16:00', timezone: 'Europe/Berlin' },
    holidays: 'DE-BE',
    blackouts: [{ from: '2026-12-20', to: '2027-01-04', reason: 'year-end freeze' }],
    alarms: ['checkout-5xx-high', 'checkout-latency-high'],
    blastRadius: { maxTargets: 1, maxPercent: 50 },
  },
});

/** Wednesday 2026-04-01 10:00 in Berlin: inside the window, no holiday, no blackout. */
const goodTime = new Date('2026-04-01T08:00:00Z');

/** The `web` target's pool of `eligible` EC2 instances, as the TargetPools map hands it to Preflight. */
function webPool(eligible: number, selectionMode: string): PreflightInput['pools'] {
  return [
    { resourceType: 'aws:ec2:instance', distinct: eligible, targets: [{ target: 'web', eligible, selectionMode }] },
  ];
}

function input(overrides: Partial<PreflightInput> = {}): PreflightInput {
  return {
    experiment: guarded,
    now: goodTime,
    alarms: [
      { name: 'checkout-5xx-high', state: 'OK' },
      { name: 'checkout-latency-high', state: 'OK' },
    ],
    pools: webPool(3, 'COUNT(1)'),
    killSwitch: { on: false },
    lock: { acquired: true },
    holidays: publicHolidaysOn,
    ...overrides,
  };
}

describe('evaluatePreflight', () => {
  it('allows a start when every guardrail holds, returning every check in a stable order', () => {
    const outcome = evaluatePreflight(input());
    expect(outcome.ok).toBe(true);
    expect(outcome.checks.map((c) => c.name)).toEqual([
      'killSwitch',
      'window',
      'holidays',
      'blackouts',
      'alarms',
      'blastRadius',
      'lock',
    ]);
    expect(outcome.checks.every((c) => c.ok)).toBe(true);
    expect(refusalReasons(outcome.checks)).toEqual([]);
  });

  it('reports every refusal, not just the first', () => {
    // Friday 2026-12-25 at 17:00 in Berlin: outside the window, a holiday, inside the blackout.
    const outcome = evaluatePreflight(
      input({
        now: new Date('2026-12-25T16:00:00Z'),
        killSwitch: { on: true, reason: 'incident' },
        alarms: [
          { name: 'checkout-5xx-high', state: 'ALARM' },
          { name: 'checkout-latency-high', state: 'OK' },
        ],
        pools: webPool(2, 'ALL'),
        lock: { acquired: false, holder: 'run-other' },
      }),
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([
      'killSwitch',
      'window',
      'holidays',
      'blackouts',
      'alarms',
      'blastRadius',
      'lock',
    ]);
    const reasons = refusalReasons(outcome.checks);
    expect(reasons).toHaveLength(7);
    expect(reasons.every((r) => !r.includes('\n'))).toBe(true);
    expect(reasons[6]).toContain('run-other');
  });

  it('refuses when one guardrail refuses and keeps the others passing', () => {
    const outcome = evaluatePreflight(input({ killSwitch: { on: true } }));
    expect(outcome.ok).toBe(false);
    expect(refusalReasons(outcome.checks)).toEqual([
      'killSwitch: on, expected off; clear it with `npx shaketable resume` when it is safe',
    ]);
  });

  it('counts an alarm the caller did not report on as MISSING', () => {
    const outcome = evaluatePreflight(input({ alarms: [{ name: 'checkout-5xx-high', state: 'OK' }] }));
    const alarms = outcome.checks.find((c) => c.name === 'alarms');
    expect(alarms?.ok).toBe(false);
    expect(alarms?.message).toContain('checkout-latency-high is MISSING');
  });

  it("includes the template's stop conditions and the compiled alarms", () => {
    const outcome = evaluatePreflight(
      input({
        compiledAlarms: ['shaketable-checkout-instance-loss-errors'],
        alarms: [
          { name: 'checkout-5xx-high', state: 'OK' },
          { name: 'checkout-latency-high', state: 'OK' },
          { name: 'shaketable-checkout-instance-loss-errors', state: 'ALARM' },
        ],
      }),
    );
    expect(outcome.ok).toBe(false);
    expect(refusalReasons(outcome.checks)).toEqual([
      'alarms: shaketable-checkout-instance-loss-errors is ALARM; expected OK',
    ]);
  });

  it('skips the lock check when no lock was attempted', () => {
    const { lock: _, ...withoutLock } = input();
    const outcome = evaluatePreflight(withoutLock);
    expect(outcome.checks.map((c) => c.name)).not.toContain('lock');
    expect(outcome.ok).toBe(true);
  });

  it('judges holidays and blackouts in UTC when there is no window', () => {
    const experiment = experimentFixture({
      guardrails: { holidays: 'DE-BE', blackouts: [{ from: '2026-12-20', to: '2026-12-24' }] },
    });
    // 23:30Z on 24 December: still the 24th in UTC (a blackout day, not a holiday).
    const outcome = evaluatePreflight(input({ experiment, now: new Date('2026-12-24T23:30:00Z'), alarms: [] }));
    expect(outcome.checks.find((c) => c.name === 'holidays')?.ok).toBe(true);
    expect(outcome.checks.find((c) => c.name === 'blackouts')?.ok).toBe(false);
  });

  it('refuses an empty pool: no target matched', () => {
    const outcome = evaluatePreflight(
      input({
        pools: webPool(0, 'COUNT(1)'),
      }),
    );
    expect(refusalReasons(outcome.checks)).toEqual([expect.stringContaining('no target matched')]);
  });

  describe('for an experiment on an existing template (templateId)', () => {
    const experiment = experimentFixture({ fault: { templateId: 'EXTabc123', maxDuration: 'PT15M' } });
    const external = (tags: Record<string, string>, id = 'EXTabc123'): ExternalTemplate => ({
      id,
      tags,
      template: {
        targets: { web: { resourceType: 'aws:ec2:instance', resourceTags: { app: 'x' }, selectionMode: 'COUNT(1)' } },
        actions: { stop: { actionId: 'aws:ec2:stop-instances', targets: { Instances: 'web' } } },
        stopConditions: ['arn:aws:cloudwatch:eu-central-1:111122223333:alarm:ext-stop'],
      },
    });

    it('allows a template tagged for it and checks its stop-condition alarms by name', () => {
      const outcome = evaluatePreflight(
        input({
          experiment,
          externalTemplate: external({ 'shaketable:experiment': 'checkout-instance-loss' }),
          alarms: [{ name: 'ext-stop', state: 'OK' }],
        }),
      );
      expect(outcome.ok).toBe(true);
      expect(outcome.checks.at(-1)?.name).toBe('templateTag');
    });

    it('refuses a template tagged for another experiment', () => {
      const outcome = evaluatePreflight(
        input({
          experiment,
          externalTemplate: external({ 'shaketable:experiment': 'other' }),
          alarms: [{ name: 'ext-stop', state: 'OK' }],
        }),
      );
      expect(refusalReasons(outcome.checks)).toEqual([
        expect.stringMatching(/^templateTag: template EXTabc123 carries/),
      ]);
    });

    it('refuses when the template was not read', () => {
      const outcome = evaluatePreflight(input({ experiment, alarms: [] }));
      expect(outcome.ok).toBe(false);
      expect(outcome.checks.at(-1)).toMatchObject({ name: 'templateTag', ok: false });
    });

    it('refuses a template other than the one the experiment names', () => {
      const outcome = evaluatePreflight(
        input({
          experiment,
          externalTemplate: external({ 'shaketable:experiment': 'checkout-instance-loss' }, 'EXTzzz'),
          alarms: [{ name: 'ext-stop', state: 'OK' }],
        }),
      );
      expect(refusalReasons(outcome.checks)).toEqual([
        'templateTag: read template EXTzzz, but the experiment names EXTabc123',
      ]);
    });
  });
});

describe('alarmNamesToCheck', () => {
  it('joins guardrail alarms, stop conditions and compiled alarms without duplicates', () => {
    expect(alarmNamesToCheck(guarded, ['compiled-errors', 'checkout-5xx-high'])).toEqual([
      'checkout-5xx-high',
      'checkout-latency-high',
      'compiled-errors',
    ]);
  });

  it('reads alarm ARNs as names', () => {
    expect(alarmName('arn:aws:cloudwatch:eu-central-1:111122223333:alarm:checkout-5xx-high')).toBe('checkout-5xx-high');
    expect(alarmName('checkout-5xx-high')).toBe('checkout-5xx-high');
  });
});
