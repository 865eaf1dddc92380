// fault.ramp (DESIGN §9 "Ramp"): each ramp rule on its own, the case it allows and the case it refuses, on raw
// documents; and the whole validation of a sandbox ramp file, one line per issue at the key's own position.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../core/experiment/issues.js';
import { payloadSize } from '../../../core/experiment/rules/payload-size.js';
import { rampBlastRadius } from '../../../core/experiment/rules/ramp-blast-radius.js';
import { rampFirstStep } from '../../../core/experiment/rules/ramp-first-step.js';
import { rampSteps } from '../../../core/experiment/rules/ramp-steps.js';
import { rampTarget } from '../../../core/experiment/rules/ramp-target.js';
import { parseExperimentText } from '../../../core/experiment/validate.js';

const root = new URL('../../../', import.meta.url).pathname;

// biome-ignore lint/suspicious/noExplicitAny: raw YAML documents are untyped by nature
type Raw = any;

function ramped(steps: unknown[], extra: { maxPercent?: number; first?: string } = {}): Raw {
  return {
    fault: {
      template: {
        targets: { web: { resourceType: 'aws:ec2:instance', selectionMode: extra.first ?? steps[0] } },
        actions: { kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'web' } } },
      },
      ramp: { target: 'web', steps },
    },
    ...(extra.maxPercent === undefined ? {} : { guardrails: { blastRadius: { maxPercent: extra.maxPercent } } }),
  };
}

const messages = (issues: Array<{ message: string }>) => issues.map((i) => i.message);

describe('ramp-target', () => {
  it('allows a ramp over a target of the template, and a file with no ramp', () => {
    expect(rampTarget.check(ramped(['COUNT(1)', 'COUNT(2)']))).toEqual([]);
    expect(rampTarget.check({ fault: { templateId: 'EXT1' } })).toEqual([]);
  });

  it('refuses a target the template does not have, suggesting the closest', () => {
    const raw = ramped(['COUNT(1)', 'COUNT(2)']);
    raw.fault.ramp.target = 'webb';
    expect(rampTarget.check(raw)).toEqual([
      { path: ['fault', 'ramp', 'target'], message: '"webb" is not a target of fault.template (did you mean "web"?)' },
    ]);
    raw.fault.ramp.target = 'database';
    expect(messages(rampTarget.check(raw))).toEqual(['"database" is not a target of fault.template (known: web)']);
  });

  it('refuses a ramp over an existing template (templateId): one template per step is made from fault.template', () => {
    const raw = { fault: { templateId: 'EXT1', ramp: { target: 'web', steps: ['COUNT(1)', 'COUNT(2)'] } } };
    expect(rampTarget.check(raw)).toEqual([
      { path: ['fault', 'ramp'], message: expect.stringMatching(/^a ramp needs fault\.template/) },
    ]);
  });
});

describe('ramp-first-step', () => {
  it("allows the target's selectionMode written as the first step", () => {
    expect(rampFirstStep.check(ramped(['PERCENT(10)', 'PERCENT(20)']))).toEqual([]);
  });

  it('refuses a selectionMode that is not the first step, at the selectionMode', () => {
    expect(rampFirstStep.check(ramped(['COUNT(1)', 'COUNT(2)'], { first: 'ALL' }))).toEqual([
      {
        path: ['fault', 'template', 'targets', 'web', 'selectionMode'],
        message:
          "ALL is not the ramp's first step; the ramp replaces it step by step, so write COUNT(1) (fault.ramp.steps[0])",
      },
    ]);
  });
});

describe('ramp-steps', () => {
  it('allows growing steps of one kind, mixed kinds, and ALL or PERCENT(100) last', () => {
    expect(rampSteps.check(ramped(['COUNT(1)', 'COUNT(2)', 'COUNT(4)']))).toEqual([]);
    expect(rampSteps.check(ramped(['COUNT(1)', 'PERCENT(25)', 'PERCENT(50)', 'ALL']))).toEqual([]);
    expect(rampSteps.check(ramped(['PERCENT(10)', 'COUNT(3)', 'PERCENT(100)']))).toEqual([]);
  });

  it('refuses a step that does not grow from the last step of its kind', () => {
    expect(rampSteps.check(ramped(['COUNT(2)', 'PERCENT(10)', 'COUNT(2)', 'PERCENT(5)']))).toEqual([
      {
        path: ['fault', 'ramp', 'steps', 2],
        message:
          'COUNT(2) does not grow: steps[0] is already COUNT(2); each COUNT step must select more than the one before',
      },
      {
        path: ['fault', 'ramp', 'steps', 3],
        message:
          'PERCENT(5) does not grow: steps[1] is already PERCENT(10); each PERCENT step must select more than the one before',
      },
    ]);
  });

  it('refuses ALL or PERCENT(100) before the last step, and steps that select nothing or too much', () => {
    expect(messages(rampSteps.check(ramped(['ALL', 'COUNT(1)', 'PERCENT(100)', 'PERCENT(150)', 'COUNT(0)'])))).toEqual([
      'ALL selects every target, so no step can follow it; make it the last step or remove the steps after it',
      'PERCENT(100) selects every target, so no step can follow it; make it the last step or remove the steps after it',
      'PERCENT(150) is outside (0, 100]; PERCENT(p) needs 0 < p ≤ 100',
      'COUNT(0) selects nothing; COUNT(n) needs n ≥ 1',
    ]);
  });

  it('skips values the schema refuses (not a selection mode, not a string)', () => {
    expect(rampSteps.check(ramped(['SOME(1)', 3, 'COUNT(1)']))).toEqual([]);
  });
});

describe('ramp-blast-radius', () => {
  it('allows steps within maxPercent, COUNT steps whatever maxPercent, and any step without maxPercent', () => {
    expect(rampBlastRadius.check(ramped(['COUNT(50)', 'PERCENT(25)', 'PERCENT(30)'], { maxPercent: 30 }))).toEqual([]);
    expect(rampBlastRadius.check(ramped(['PERCENT(50)', 'ALL']))).toEqual([]);
    expect(rampBlastRadius.check(ramped(['PERCENT(50)', 'ALL'], { maxPercent: 100 }))).toEqual([]);
  });

  it('refuses a PERCENT above maxPercent and ALL under a maxPercent below 100, at the step', () => {
    expect(rampBlastRadius.check(ramped(['COUNT(1)', 'PERCENT(40)', 'ALL'], { maxPercent: 30 }))).toEqual([
      {
        path: ['fault', 'ramp', 'steps', 1],
        message:
          'PERCENT(40) hits 40% of the pool, above guardrails.blastRadius.maxPercent 30%; lower the step or raise maxPercent',
      },
      {
        path: ['fault', 'ramp', 'steps', 2],
        message:
          'ALL hits 100% of the pool, above guardrails.blastRadius.maxPercent 30%; lower the step or raise maxPercent',
      },
    ]);
  });
});

describe('payload-size with a ramp', () => {
  it("counts every step's series and the last step's again at the top level: what fits two steps does not fit three", () => {
    const probes = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, {}]));
    const raw = {
      fault: { maxDuration: 'PT2H', ramp: { target: 'web', steps: ['COUNT(1)', 'COUNT(2)'] } },
      steadyState: { period: 'PT1M', baseline: 'PT10M', probes },
      expect: { recovery: 'PT10M' },
    };
    expect(payloadSize.check(raw)).toEqual([]);
    raw.fault.ramp.steps.push('COUNT(3)');
    expect(payloadSize.check(raw)).toEqual([
      {
        path: ['steadyState', 'probes'],
        message:
          "(3 ramp steps + the last once more) × 9 probes × 142 periods of PT1M (baseline + maxDuration + recovery) = 5112 datapoints, above the 4000 a run can carry within Step Functions' 256 KB; use a longer steadyState.period, fewer probes, fewer ramp steps or shorter phases",
      },
    ]);
  });
});

describe('a sandbox ramp file', () => {
  it('validates with growing steps, and names each problem at its own line and column', async () => {
    const base = await readFile(`${root}experiments/local/local-instance-loss.yaml`, 'utf8');
    const ramp = base.replace(
      '  observe: PT5S\n',
      '  ramp: { target: web, steps: [ COUNT(1), COUNT(2) ] }\n  observe: PT5S\n',
    );
    expect(ramp).not.toBe(base);
    expect(parseExperimentText(ramp, 'r.yaml').issues).toEqual([]);
    const bad = ramp
      .replace('steps: [ COUNT(1), COUNT(2) ]', 'steps: [ COUNT(1), COUNT(1) ]')
      .replace('target: web,', 'target: wen,');
    expect(parseExperimentText(bad, 'r.yaml').issues.map(formatIssue)).toEqual([
      'r.yaml:23:11  fault.ramp.target  "wen" is not a target of fault.template (did you mean "web"?)',
      'r.yaml:23:43  fault.ramp.steps[1]  COUNT(1) does not grow: steps[0] is already COUNT(1); each COUNT step must select more than the one before',
    ]);
  });
});
