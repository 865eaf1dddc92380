// The sandbox's progress lines: each phase says when it began (elapsed since the run began) and how long it is;
// probe values carry their units.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProgress, formatVerdict } from '../../../cli/commands/run.js';
import { Result } from '../../../core/result/model.js';

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

describe('formatVerdict', () => {
  const fixture = (name: string) =>
    Result.parse(JSON.parse(readFileSync(new URL(`../../fixtures/results/${name}.json`, import.meta.url), 'utf8')));
  const paths = { result: 'r.json', report: 'r.html' };

  it("prints a ramp's progress and one line per step reached under the reasons", () => {
    const lines = formatVerdict(fixture('ramp-degraded'), paths, false).split('\n');
    const at = lines.indexOf('ramp     reached 2/3 (DEGRADED at PERCENT(50))');
    expect(at).toBeGreaterThan(lines.indexOf('verdict  DEGRADED'));
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '  - step 1/3 COUNT(1): PASSED, 1 target hit',
      '  - step 2/3 PERCENT(50): DEGRADED, 2 targets hit',
    ]);
  });

  it('prints no ramp line for a run that is not a ramp', () => {
    expect(formatVerdict(fixture('passed'), paths, false)).not.toContain('ramp');
  });
});
