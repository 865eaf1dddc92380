// The promotion guardrail: a required run ended with the verdict within the duration, else a refusal naming the
// last run found.
import { describe, expect, it } from 'vitest';
import { requiresChecks } from '../../../core/guardrails/requires.js';
import type { RunRecord } from '../../../core/ports.js';

const now = new Date('2026-04-08T12:00:00Z');
const requirement = { experiment: 'checkout-staging', verdict: 'PASSED', within: 'P7D' } as const;

function run(runId: string, verdict: string, endedAt: string): RunRecord {
  return { runId, experiment: 'checkout-staging', status: 'DONE', startedAt: endedAt, verdict, endedAt };
}

describe('requiresChecks', () => {
  it('passes on a run with the verdict that ended within the duration, even behind a newer failure', () => {
    const runs = new Map([
      [
        'checkout-staging',
        [run('r-3', 'DEGRADED', '2026-04-08T10:00:00Z'), run('r-2', 'PASSED', '2026-04-02T12:00:00Z')],
      ],
    ]);
    const [check] = requiresChecks([requirement], runs, now);
    expect(check).toMatchObject({ name: 'requires', ok: true });
    expect(check!.message).toBe('requires: checkout-staging run r-2 ended PASSED at 2026-04-02T12:00:00Z, within P7D');
  });

  it('refuses when the only PASSED run ended before the duration, naming the last run', () => {
    const runs = new Map([
      [
        'checkout-staging',
        [run('r-3', 'DEGRADED', '2026-04-08T10:00:00Z'), run('r-1', 'PASSED', '2026-03-31T11:59:59Z')],
      ],
    ]);
    const [check] = requiresChecks([requirement], runs, now);
    expect(check).toMatchObject({ name: 'requires', ok: false });
    expect(check!.message).toBe(
      'requires: no PASSED run of checkout-staging ended within P7D (last run r-3 DEGRADED, ended 2026-04-08T10:00:00Z); run checkout-staging first',
    );
  });

  it('refuses when the experiment never ran, and counts a still RUNNING run as not met', () => {
    expect(requiresChecks([requirement], new Map(), now)[0]!.message).toContain('(no run found)');
    const running: RunRecord = {
      runId: 'r-9',
      experiment: 'checkout-staging',
      status: 'RUNNING',
      startedAt: '2026-04-08T11:00:00Z',
      verdict: 'PASSED',
    };
    const [check] = requiresChecks([requirement], new Map([['checkout-staging', [running]]]), now);
    expect(check!.ok).toBe(false);
    expect(check!.message).toContain('last run r-9 still running since 2026-04-08T11:00:00Z');
  });

  it('makes one check per requirement and none without requirements', () => {
    expect(requiresChecks(undefined, new Map(), now)).toEqual([]);
    const checks = requiresChecks(
      [requirement, { experiment: 'checkout-load', verdict: 'DEGRADED', within: 'PT12H' }],
      new Map([['checkout-load', [run('r-5', 'DEGRADED', '2026-04-08T01:00:00Z')]]]),
      now,
    );
    expect(checks.map((c) => c.ok)).toEqual([false, true]);
  });
});
