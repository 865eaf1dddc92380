import { describe, expect, it } from 'vitest';
import { mapFaultEnd } from '../../../core/verdict/fault-end.js';

describe('a fault still stopping (StopExperiment is asynchronous)', () => {
  it('is read as stopped for the cause shaketable recorded', () => {
    const mapped = mapFaultEnd({
      status: 'stopping',
      stopCause: 'maxDuration',
      stopConditionAlarmsFired: false,
      targetsResolved: true,
    });
    expect(mapped).toMatchObject({ verdict: 'ERROR' });
    expect(mapped === 'evaluate' ? '' : mapped.reason).toMatch(/maxDuration/);
  });

  it('is FAILED when a stop condition fired and shaketable recorded no cause', () => {
    expect(mapFaultEnd({ status: 'stopping', stopConditionAlarmsFired: true, targetsResolved: true })).toMatchObject({
      verdict: 'FAILED',
    });
  });
});
