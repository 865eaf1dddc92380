import { describe, expect, it } from 'vitest';
import { mapFaultEnd, nothingInjected } from '../../../core/verdict/fault-end.js';

const end = { stopConditionAlarmsFired: false, targetsResolved: true };

describe('mapFaultEnd', () => {
  it('evaluates the hypothesis when FIS completed', () => {
    expect(mapFaultEnd({ ...end, status: 'completed' })).toBe('evaluate');
  });

  it('reads a stop by the kill switch as INCONCLUSIVE', () => {
    expect(mapFaultEnd({ ...end, status: 'stopped', stopCause: 'halt', stopConditionAlarmsFired: true })).toMatchObject(
      { verdict: 'INCONCLUSIVE' },
    );
  });

  it('reads a stop for maxDuration or an orchestrator error as ERROR, whatever the alarms did', () => {
    expect(
      mapFaultEnd({ ...end, status: 'stopped', stopCause: 'maxDuration', stopConditionAlarmsFired: true }),
    ).toMatchObject({ verdict: 'ERROR' });
    expect(mapFaultEnd({ ...end, status: 'stopped', stopCause: 'orchestrator-error' })).toMatchObject({
      verdict: 'ERROR',
    });
  });

  it('reads a stop with a stop-condition alarm in ALARM as FAILED, naming the alarm', () => {
    expect(
      mapFaultEnd({
        ...end,
        status: 'stopped',
        stopConditionAlarmsFired: true,
        firedAlarms: ['checkout-5xx-high'],
        reason: 'Experiment stopped by stop condition',
      }),
    ).toEqual({
      verdict: 'FAILED',
      reason:
        'stop condition (fault phase): observed stop-condition alarm checkout-5xx-high in ALARM and FIS stopped the fault (FIS reason: Experiment stopped by stop condition), bound no stop condition fires',
    });
  });

  it('reads a stop with no recorded cause and no alarm as an operator stop: INCONCLUSIVE', () => {
    expect(mapFaultEnd({ ...end, status: 'stopped' })).toMatchObject({ verdict: 'INCONCLUSIVE' });
  });

  it('reads cancelled as SKIPPED: nothing was injected', () => {
    expect(mapFaultEnd({ ...end, status: 'cancelled' })).toMatchObject({ verdict: 'SKIPPED' });
    expect(nothingInjected({ ...end, status: 'cancelled' })).toBe(true);
  });

  it('reads failed as ERROR once targets resolved, and as SKIPPED when none did', () => {
    expect(mapFaultEnd({ ...end, status: 'failed', reason: 'Action failed' })).toMatchObject({ verdict: 'ERROR' });
    expect(mapFaultEnd({ ...end, status: 'failed', targetsResolved: false })).toMatchObject({ verdict: 'SKIPPED' });
    expect(nothingInjected({ ...end, status: 'failed' })).toBe(false);
  });

  it('reads an unknown or non-terminal status as ERROR', () => {
    expect(mapFaultEnd({ ...end, status: 'running' })).toMatchObject({ verdict: 'ERROR' });
    expect(mapFaultEnd({ ...end, status: 'exploded' })).toMatchObject({
      reason: expect.stringContaining('"exploded"'),
    });
  });
});
