// Each verdict rule, tested for the case it lets through (no finding) and the case it raises.
import { describe, expect, it } from 'vitest';
import type { ProbeCheck } from '../../../core/steady-state/checks.js';
import { decideVerdict } from '../../../core/verdict/decide.js';
import type { FaultEnd } from '../../../core/verdict/model.js';
import { baselineNotHeld } from '../../../core/verdict/rules/baseline-not-held.js';
import { detectionMissed } from '../../../core/verdict/rules/detection-missed.js';
import { dryRun } from '../../../core/verdict/rules/dry-run.js';
import { faultEndState } from '../../../core/verdict/rules/fault-end-state.js';
import { guardrailRefused } from '../../../core/verdict/rules/guardrail-refused.js';
import { hypothesisBreached } from '../../../core/verdict/rules/hypothesis-breached.js';
import { orchestratorError } from '../../../core/verdict/rules/orchestrator-error.js';
import { undecided } from '../../../core/verdict/rules/undecided.js';

const completed: FaultEnd = { status: 'completed', stopConditionAlarmsFired: false, targetsResolved: true };
const check = (ok: boolean, decided: boolean, message: string): ProbeCheck => ({
  name: 'x',
  probe: 'latency',
  phase: 'fault',
  kind: 'during',
  ok,
  decided,
  message,
});

describe('verdict rules', () => {
  it('orchestratorError: nothing without an error, ERROR with one', () => {
    expect(orchestratorError({})).toEqual([]);
    expect(orchestratorError({ error: 'Observe: GetMetricData throttled' })).toEqual([
      { verdict: 'ERROR', reason: 'orchestrator: Observe: GetMetricData throttled' },
    ]);
  });

  it('faultEndState: nothing for a completed fault, the mapped verdict otherwise', () => {
    expect(faultEndState({ fault: completed })).toEqual([]);
    expect(faultEndState({ fault: { ...completed, status: 'cancelled' } })[0]?.verdict).toBe('SKIPPED');
  });

  it('guardrailRefused: nothing when every check passed, SKIPPED per refusal, ERROR if a fault ran anyway', () => {
    const ok = { name: 'window', ok: true, message: 'window: inside' };
    const refused = {
      name: 'blackout',
      ok: false,
      message: 'blackout (preflight): observed 2026-12-24, bound year-end freeze',
    };
    expect(guardrailRefused({ preflight: [ok] })).toEqual([]);
    expect(guardrailRefused({ preflight: [ok, refused] })).toEqual([{ verdict: 'SKIPPED', reason: refused.message }]);
    expect(guardrailRefused({ preflight: [refused], fault: completed })[0]?.verdict).toBe('ERROR');
  });

  it('dryRun: nothing for a real run, SKIPPED for a dry run', () => {
    expect(dryRun({ dryRun: false })).toEqual([]);
    expect(dryRun({ dryRun: true })).toEqual([
      { verdict: 'SKIPPED', reason: 'dry run: observed dryRun true, nothing injected' },
    ]);
  });

  it('baselineNotHeld: nothing when it held, INCONCLUSIVE per reason when not', () => {
    expect(baselineNotHeld({ baseline: { held: true, reasons: [] } })).toEqual([]);
    expect(baselineNotHeld({ baseline: { held: false, reasons: ['a', 'b'] } }).map((f) => f.verdict)).toEqual([
      'INCONCLUSIVE',
      'INCONCLUSIVE',
    ]);
  });

  it('hypothesisBreached: nothing for held or undecided checks, DEGRADED for a decided breach', () => {
    expect(
      hypothesisBreached({ hypothesis: { checks: [check(true, true, 'ok'), check(false, false, 'undecided')] } }),
    ).toEqual([]);
    expect(hypothesisBreached({ hypothesis: { checks: [check(false, true, 'breach')] } })).toEqual([
      { verdict: 'DEGRADED', reason: 'breach' },
    ]);
  });

  it('detectionMissed: nothing when detected or not asked, DEGRADED naming the alarms and window when missed', () => {
    expect(detectionMissed({})).toEqual([]);
    expect(detectionMissed({ detection: { alarms: ['a'], within: 'PT3M', detected: true } })).toEqual([]);
    expect(detectionMissed({ detection: { alarms: ['a', 'b'], within: 'PT3M', detected: false } })).toEqual([
      { verdict: 'DEGRADED', reason: 'detect: no alarm of a, b went to ALARM within PT3M' },
    ]);
  });

  it('decideVerdict: a missed detection turns PASSED into DEGRADED and leaves FAILED FAILED', () => {
    const missed = { alarms: ['a'], within: 'PT3M', detected: false };
    const held = { checks: [check(true, true, 'latency held')] };
    expect(decideVerdict({ fault: completed, hypothesis: held }).verdict).toBe('PASSED');
    expect(decideVerdict({ fault: completed, hypothesis: held, detection: missed })).toEqual({
      verdict: 'DEGRADED',
      reasons: ['detect: no alarm of a went to ALARM within PT3M'],
    });
    const stopped: FaultEnd = {
      status: 'stopped',
      stopConditionAlarmsFired: true,
      firedAlarms: ['x'],
      targetsResolved: true,
    };
    expect(decideVerdict({ fault: stopped, detection: missed }).verdict).toBe('FAILED');
  });

  it('undecided: nothing when every check was decided, INCONCLUSIVE for an undecided one or for none decided', () => {
    expect(undecided({ fault: completed, hypothesis: { checks: [check(true, true, 'ok')] } })).toEqual([]);
    expect(
      undecided({ fault: completed, hypothesis: { checks: [check(true, true, 'ok'), check(false, false, 'gap')] } }),
    ).toEqual([{ verdict: 'INCONCLUSIVE', reason: 'gap' }]);
    expect(undecided({ fault: completed, hypothesis: { checks: [] } })[0]?.verdict).toBe('INCONCLUSIVE');
    expect(undecided({ fault: completed })[0]?.verdict).toBe('INCONCLUSIVE');
  });

  it('decideVerdict: ERROR when nothing was injected and nothing explains why', () => {
    expect(decideVerdict({ baseline: { held: true, reasons: [] } })).toEqual({
      verdict: 'ERROR',
      reasons: [
        'orchestrator: observed no fault injected and no guardrail, dry run or baseline explaining why, bound a fault or a recorded refusal',
      ],
    });
  });
});
