import { describe, expect, it } from 'vitest';
import type { RampPlan } from '../../../core/ramp/ramp.js';
import { foldRampStep, rampErrorResult } from '../../../core/ramp/result.js';
import type { Result } from '../../../core/result/model.js';
import type { Plan } from '../../../core/steps/plan.js';

const ramp = (index: number): RampPlan => ({
  target: 'web',
  steps: [
    { selectionMode: 'COUNT(1)', templateId: 'EXT1' },
    { selectionMode: 'PERCENT(50)', templateId: 'EXT2' },
  ],
  index,
});
const plan = (index: number) =>
  ({ runId: 'r', approvalRequired: true, ramp: ramp(index) }) as unknown as Plan & {
    ramp: RampPlan;
  };
const stepResult = (verdict: Result['verdict'], reasons: string[], id: string): Result => ({
  runId: 'r',
  experiment: 'x',
  verdict,
  reasons,
  startedAt: '2026-12-07T10:00:00.000Z',
  endedAt: '2026-12-07T10:10:00.000Z',
  trigger: 'manual',
  preflight: { checks: [] },
  fis: { experimentId: id, state: 'completed', targets: [] },
  phases: {},
  probes: {},
  events: [
    { at: '2026-12-07T10:00:00.000Z', type: 'started', message: 'run r (manual)' },
    { at: '2026-12-07T10:10:00.000Z', type: 'verdict', message: verdict },
  ],
});

describe('foldRampStep', () => {
  it('goes on to the next step after a step PASSED, without asking for approval again', () => {
    const p = foldRampStep(plan(0), undefined, stepResult('PASSED', ['hypothesis: held'], 'EXP1'));
    expect(p.next?.ramp?.index).toBe(1);
    expect(p.next?.approvalRequired).toBe(false);
    expect(p.result.steps?.map((s) => [s.index, s.selectionMode, s.verdict])).toEqual([[1, 'COUNT(1)', 'PASSED']]);
    expect(p.result.events.find((e) => e.type === 'step-verdict')?.message).toBe('step 1: PASSED');
  });

  it('is PASSED only when the last step passed, saying every step passed', () => {
    const first = foldRampStep(plan(0), undefined, stepResult('PASSED', [], 'EXP1')).result;
    const p = foldRampStep(plan(1), first, stepResult('PASSED', ['hypothesis: held'], 'EXP2'));
    expect(p.next).toBeUndefined();
    expect(p.result.verdict).toBe('PASSED');
    expect(p.result.reasons).toEqual([
      'ramp: all 2 steps passed (COUNT(1), PERCENT(50))',
      'step 2 of 2 (PERCENT(50)): hypothesis: held',
    ]);
    expect(p.result.fis.experimentId).toBe('EXP2');
    expect(p.result.events.filter((e) => e.type === 'started')).toHaveLength(1);
    expect(p.result.events.filter((e) => e.type === 'verdict')).toHaveLength(1);
  });

  it('takes the verdict of the first step that did not pass, records only steps reached, and names the steps that passed', () => {
    const first = foldRampStep(plan(0), undefined, stepResult('PASSED', [], 'EXP1')).result;
    const refused = stepResult('SKIPPED', ['killSwitch: on'], 'none');
    const p = foldRampStep(plan(1), first, { ...refused, fis: { targets: [] } });
    expect(p.next).toBeUndefined();
    expect(p.result.verdict).toBe('SKIPPED');
    expect(p.result.reasons).toEqual([
      'step 2 of 2 (PERCENT(50)): killSwitch: on',
      'ramp: stopped at step 2 of 2; passed before it: step 1 of 2 (COUNT(1))',
    ]);
    // refused before injecting: step 2 was not reached
    expect(p.result.steps?.map((s) => s.verdict)).toEqual(['PASSED']);
  });
});

describe('rampErrorResult', () => {
  it('records the failing step as ERROR after the steps before it, once even when handed its own result', () => {
    const first = foldRampStep(plan(0), undefined, stepResult('PASSED', [], 'EXP1')).result;
    const second = foldRampStep(plan(1), first, stepResult('PASSED', [], 'EXP2')).result; // Publish then failed
    const error = rampErrorResult(plan(1), second, stepResult('ERROR', ['orchestrator: S3 down'], 'EXP2'));
    expect(error.steps?.map((s) => [s.index, s.verdict])).toEqual([
      [1, 'PASSED'],
      [2, 'ERROR'],
    ]);
    expect(error.reasons[0]).toBe('step 2 of 2 (PERCENT(50)): orchestrator: S3 down');
  });
});
