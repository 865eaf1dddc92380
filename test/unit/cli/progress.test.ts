// The sandbox's progress lines: each phase says when it began (elapsed since the run began) and how long it is;
// probe values carry their units.
import { describe, expect, it } from 'vitest';
import { formatProgress } from '../../../cli/commands/run.js';

describe('formatProgress', () => {
  it('shows the elapsed time and how long the phase is', () => {
    const phase = (state: string, lasts?: { seconds: number; bound: 'window' | 'at least' | 'lasts' }) =>
      formatProgress({ kind: 'phase', state, message: 'msg', elapsedSeconds: 75, ...(lasts ? { lasts } : {}) }, false);
    expect(phase('Baseline', { seconds: 300, bound: 'window' })).toBe(
      '  > Baseline: msg of the last 5 min  [1 min 15 s elapsed]',
    );
    expect(phase('InjectFault', { seconds: 5, bound: 'at least' })).toBe(
      '  > InjectFault: msg for at least 5 s  [1 min 15 s elapsed]',
    );
    expect(phase('WaitForRecovery', { seconds: 15, bound: 'lasts' })).toBe(
      '  > WaitForRecovery: msg (15 s)  [1 min 15 s elapsed]',
    );
    expect(phase('Evaluate')).toBe('  > Evaluate: msg  [1 min 15 s elapsed]');
  });

  it('prints probe values with their units, and — without a value', () => {
    const line = formatProgress(
      {
        kind: 'probes',
        values: { latency_p99: 9.437, error_rate: 0.5, healthy: 3, missing: null },
        units: { latency_p99: 'ms', error_rate: '%', missing: 'ms' },
      },
      false,
    );
    expect(line).toBe('    latency_p99=9.44 ms  error_rate=0.50%  healthy=3  missing=—');
  });
});
