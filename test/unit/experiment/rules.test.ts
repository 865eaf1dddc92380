// Each cross-field rule on its own: the case it allows and the case it refuses, on raw parsed documents;
// and, as a property, no rule throws whatever shape the document has (rules run on files the schema refused).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abortWhenProbes } from '../../../core/experiment/rules/abort-when-probes.js';
import { abortWhenTemplateId } from '../../../core/experiment/rules/abort-when-template-id.js';
import { actionDurationParameter } from '../../../core/experiment/rules/action-duration-parameter.js';
import { actionTargets } from '../../../core/experiment/rules/action-targets.js';
import { baselineCoversPeriod } from '../../../core/experiment/rules/baseline-covers-period.js';
import { blackoutDates } from '../../../core/experiment/rules/blackout-dates.js';
import { detectWithin } from '../../../core/experiment/rules/detect-within.js';
import { duringProbes } from '../../../core/experiment/rules/during-probes.js';
import { expressionCycles } from '../../../core/experiment/rules/expression-cycles.js';
import { referencedProbeIds } from '../../../core/experiment/rules/expression-ids.js';
import { expressionReferences } from '../../../core/experiment/rules/expression-references.js';
import { RULES } from '../../../core/experiment/rules/index.js';
import { localAlarmNames } from '../../../core/experiment/rules/local-alarm-names.js';
import { localAlarmProbes } from '../../../core/experiment/rules/local-alarm-probes.js';
import { localBlock } from '../../../core/experiment/rules/local-block.js';
import { localFaults } from '../../../core/experiment/rules/local-faults.js';
import { longestActionChain, maxDuration } from '../../../core/experiment/rules/max-duration.js';
import { metricPeriod } from '../../../core/experiment/rules/metric-period.js';
import type { Rule } from '../../../core/experiment/rules/rule.js';
import { scheduleExpression } from '../../../core/experiment/rules/schedule-expression.js';
import { selectionMode } from '../../../core/experiment/rules/selection-mode.js';
import { startAfter } from '../../../core/experiment/rules/start-after.js';
import { stopConditionCount } from '../../../core/experiment/rules/stop-condition-count.js';
import { stopConditionRequired } from '../../../core/experiment/rules/stop-condition-required.js';
import { templateOrTemplateId } from '../../../core/experiment/rules/template-or-template-id.js';
import { duplicateNames } from '../../../core/experiment/rules/unique-names.js';
import { runWindow } from '../../../core/experiment/rules/window.js';

// biome-ignore lint/suspicious/noExplicitAny: raw YAML documents are untyped by nature
type Raw = any;

function aws(): Raw {
  return {
    version: 1,
    name: 'rule-test',
    fault: {
      template: {
        targets: { web: { resourceType: 'aws:ec2:instance', selectionMode: 'COUNT(1)' } },
        actions: { kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'web' } } },
        stopConditions: ['web-5xx-high'],
      },
      observe: 'PT5M',
      maxDuration: 'PT15M',
    },
    schedule: { expression: 'cron(0 10 ? * MON-FRI *)' },
    guardrails: {
      window: { days: ['MON'], between: '09:00-17:00', timezone: 'UTC' },
      blackouts: [{ from: '2026-12-20', to: '2027-01-04' }],
      abortWhen: { errors: { max: 10 } },
    },
    steadyState: {
      baseline: 'PT10M',
      period: 'PT1M',
      probes: {
        errors: { metric: { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_Target_5XX_Count', stat: 'Sum' } },
        requests: { metric: { namespace: 'AWS/ApplicationELB', name: 'RequestCount', stat: 'Sum' } },
        error_rate: { expression: '100 * errors / requests', tolerance: { max: 1 } },
      },
    },
    expect: { during: { error_rate: { max: 5 } }, recovery: 'PT5M' },
  };
}

function local(): Raw {
  return {
    version: 1,
    provider: 'local',
    name: 'rule-test-local',
    local: { instances: 3, rps: 20, alarms: { error_burst: { probe: 'errors', max: 5 } } },
    fault: {
      template: {
        targets: { web: { resourceType: 'local:instance', selectionMode: 'COUNT(1)' } },
        actions: { kill: { actionId: 'local:instance:terminate', targets: { Instances: 'web' } } },
        stopConditions: ['error_burst'],
      },
      observe: 'PT5S',
      maxDuration: 'PT30S',
    },
    guardrails: { alarms: ['error_burst'] },
    steadyState: {
      baseline: 'PT5S',
      period: 'PT1S',
      probes: { errors: { metric: { namespace: 'Local/Demo', name: 'Errors', stat: 'Sum' } } },
    },
    expect: { recovery: 'PT15S' },
  };
}

function refused(rule: Rule, doc: Raw): Array<{ path: string; message: string }> {
  return rule.check(doc).map((i) => ({ path: i.path.join('.'), message: i.message }));
}

function expectAllows(rule: Rule, doc: Raw): void {
  expect(rule.check(doc)).toEqual([]);
}

describe('during-probes', () => {
  it('allows bounds on declared probes', () => expectAllows(duringProbes, aws()));
  it('refuses a bound on an unknown probe', () => {
    const doc = aws();
    doc.expect.during.latency = { max: 1 };
    expect(refused(duringProbes, doc)).toEqual([
      { path: 'expect.during.latency', message: expect.stringContaining('unknown probe "latency"') },
    ]);
  });
});

describe('abort-when-probes', () => {
  it('allows abortWhen on a declared probe', () => expectAllows(abortWhenProbes, aws()));
  it('refuses abortWhen on an unknown probe', () => {
    const doc = aws();
    doc.guardrails.abortWhen = { five_xx: { max: 1 } };
    expect(refused(abortWhenProbes, doc)[0]?.path).toBe('guardrails.abortWhen.five_xx');
  });
});

describe('local-alarm-probes', () => {
  it('allows an alarm on a declared probe', () => expectAllows(localAlarmProbes, local()));
  it('refuses an alarm on an unknown probe', () => {
    const doc = local();
    doc.local.alarms.error_burst.probe = 'error_count';
    expect(refused(localAlarmProbes, doc)[0]?.path).toBe('local.alarms.error_burst.probe');
  });
});

describe('expression-references', () => {
  it('allows references to declared probes, functions and quoted SEARCH strings', () => {
    const doc = aws();
    doc.steadyState.probes.error_rate.expression = `IF(requests > 0, 100 * FILL(errors, 0) / requests, 0) + 0 * SUM(SEARCH('{AWS/EC2} cpu', 'Average', 60))`;
    expectAllows(expressionReferences, doc);
  });
  it('refuses a reference to an unknown probe', () => {
    const doc = aws();
    doc.steadyState.probes.error_rate.expression = '100 * eror / requests';
    expect(refused(expressionReferences, doc)).toEqual([
      { path: 'steadyState.probes.error_rate.expression', message: expect.stringContaining('unknown probe "eror"') },
    ]);
  });
  it('reads ids, not functions, numbers or strings', () => {
    expect(referencedProbeIds('FILL(m1, 0) * 2.5e3 + "x y" + m_2')).toEqual(['m1', 'm_2']);
  });
});

describe('expression-cycles', () => {
  it('allows expressions over expressions that end in metrics', () => {
    const doc = aws();
    doc.steadyState.probes.doubled = { expression: '2 * error_rate' };
    expectAllows(expressionCycles, doc);
  });
  it('refuses a self reference and a longer cycle, each once', () => {
    const doc = aws();
    doc.steadyState.probes.self = { expression: 'self + 1' };
    doc.steadyState.probes.error_rate.expression = 'errors / share';
    doc.steadyState.probes.share = { expression: 'error_rate / 100' };
    expect(refused(expressionCycles, doc).map((i) => i.message)).toEqual([
      'expression references form a cycle: error_rate → share → error_rate',
      'expression references form a cycle: self → self',
    ]);
  });
});

describe('action-targets', () => {
  it('allows targets declared in the template', () => expectAllows(actionTargets, aws()));
  it('refuses an action target that is not declared', () => {
    const doc = aws();
    doc.fault.template.actions.kill.targets.Instances = 'webs';
    expect(refused(actionTargets, doc)[0]?.path).toBe('fault.template.actions.kill.targets.Instances');
  });
});

describe('start-after', () => {
  it('allows a chain of declared actions', () => {
    const doc = aws();
    doc.fault.template.actions.wait = { actionId: 'aws:fis:wait', startAfter: ['kill'] };
    expectAllows(startAfter, doc);
  });
  it('refuses an unknown action and a cycle', () => {
    const doc = aws();
    doc.fault.template.actions.kill.startAfter = ['wait'];
    doc.fault.template.actions.wait = { actionId: 'aws:fis:wait', startAfter: ['kill', 'nope'] };
    expect(refused(startAfter, doc).map((i) => i.path)).toEqual([
      'fault.template.actions.wait.startAfter.1',
      'fault.template.actions.kill.startAfter',
    ]);
  });
});

describe('action-duration-parameter', () => {
  it('allows an ISO 8601 duration parameter', () => {
    const doc = aws();
    doc.fault.template.actions.kill = { actionId: 'aws:fis:wait', parameters: { duration: 'PT2M' } };
    expectAllows(actionDurationParameter, doc);
  });
  it('refuses a duration that is not ISO 8601', () => {
    const doc = aws();
    doc.fault.template.actions.kill = { actionId: 'aws:fis:wait', parameters: { duration: 120 } };
    expect(refused(actionDurationParameter, doc)[0]?.message).toContain('"120" must be an ISO 8601 duration');
  });
});

describe('selection-mode', () => {
  it.each(['ALL', 'COUNT(1)', 'PERCENT(100)', 'PERCENT(0.5)'])('allows %s', (mode) => {
    const doc = aws();
    doc.fault.template.targets.web.selectionMode = mode;
    expectAllows(selectionMode, doc);
  });
  it.each(['COUNT(0)', 'PERCENT(0)', 'PERCENT(100.5)'])('refuses %s', (mode) => {
    const doc = aws();
    doc.fault.template.targets.web.selectionMode = mode;
    expect(refused(selectionMode, doc)).toHaveLength(1);
  });
});

describe('stop-condition-required', () => {
  it('allows a template with a listed stop condition, with abortWhen only, or with the explicit opt-out', () => {
    expectAllows(stopConditionRequired, aws());
    const onlyAbortWhen = aws();
    delete onlyAbortWhen.fault.template.stopConditions;
    expectAllows(stopConditionRequired, onlyAbortWhen);
    const optOut = aws();
    delete optOut.fault.template.stopConditions;
    delete optOut.guardrails.abortWhen;
    optOut.guardrails.allowNoStopCondition = true;
    expectAllows(stopConditionRequired, optOut);
  });
  it('refuses a template without any stop condition', () => {
    const doc = aws();
    doc.fault.template.stopConditions = [];
    delete doc.guardrails.abortWhen;
    expect(refused(stopConditionRequired, doc)[0]?.path).toBe('fault.template.stopConditions');
  });
});

describe('stop-condition-count', () => {
  it('allows 5 stop conditions counting abortWhen', () => {
    const doc = aws();
    doc.fault.template.stopConditions = ['a', 'b', 'c', 'd'];
    expectAllows(stopConditionCount, doc);
  });
  it('refuses 6', () => {
    const doc = aws();
    doc.fault.template.stopConditions = ['a', 'b', 'c', 'd', 'e'];
    expect(refused(stopConditionCount, doc)[0]?.message).toContain(
      '6 stop conditions (5 listed + 1 from guardrails.abortWhen)',
    );
  });
});

describe('template-or-template-id', () => {
  it('allows exactly one of them', () => {
    expectAllows(templateOrTemplateId, aws());
    const byId = aws();
    delete byId.fault.template;
    byId.fault.templateId = 'EXTabc';
    expectAllows(templateOrTemplateId, byId);
  });
  it('refuses both and neither', () => {
    const both = aws();
    both.fault.templateId = 'EXTabc';
    expect(refused(templateOrTemplateId, both)[0]?.path).toBe('fault.templateId');
    const neither = aws();
    delete neither.fault.template;
    expect(refused(templateOrTemplateId, neither)[0]?.path).toBe('fault.template');
  });
});

describe('abort-when-template-id', () => {
  it('allows abortWhen with a template', () => expectAllows(abortWhenTemplateId, aws()));
  it('refuses abortWhen with a templateId', () => {
    const doc = aws();
    doc.fault.templateId = 'EXTabc';
    expect(refused(abortWhenTemplateId, doc)[0]?.path).toBe('guardrails.abortWhen');
  });
});

describe('max-duration', () => {
  it('allows maxDuration covering observe and the longest action chain', () => {
    const doc = aws();
    doc.fault.template.actions.wait = {
      actionId: 'aws:fis:wait',
      parameters: { duration: 'PT10M' },
      startAfter: ['kill'],
    };
    expectAllows(maxDuration, doc);
  });
  it('refuses maxDuration below observe, below the default observe, and below the chain', () => {
    const short = aws();
    short.fault.maxDuration = 'PT4M';
    expect(refused(maxDuration, short)[0]?.message).toContain('shorter than observe PT5M');
    const byDefault = aws();
    delete byDefault.fault.observe;
    byDefault.steadyState.period = 'PT5M';
    expect(refused(maxDuration, byDefault)[0]?.message).toContain('default observe (5 × period) PT25M');
    const chained = aws();
    chained.fault.template.actions.a = { actionId: 'aws:fis:wait', parameters: { duration: 'PT10M' } };
    chained.fault.template.actions.b = {
      actionId: 'aws:fis:wait',
      parameters: { duration: 'PT6M' },
      startAfter: ['a'],
    };
    expect(refused(maxDuration, chained)[0]?.message).toContain('action chain a → b (PT16M)');
  });
  it('takes the longest branch of the startAfter graph, not the sum of all actions', () => {
    const doc = aws();
    doc.fault.template.actions = {
      a: { parameters: { duration: 'PT1M' } },
      b: { parameters: { duration: 'PT5M' } },
      c: { parameters: { duration: 'PT2M' }, startAfter: ['a', 'b'] },
      d: { parameters: { duration: 'PT1M' }, startAfter: ['a'] },
    };
    expect(longestActionChain(doc)).toEqual({ seconds: 420, actions: ['b', 'c'] });
  });
});

describe('metric-period', () => {
  it.each(['PT1M', 'PT5M', 'PT10S', 'PT20S', 'PT30S', 'PT1H'])('allows the AWS period %s', (period) => {
    const doc = aws();
    doc.steadyState.period = period;
    expectAllows(metricPeriod, doc);
  });
  it.each(['PT45S', 'PT90S', 'PT5S', 'PT0S'])('refuses the AWS period %s', (period) => {
    const doc = aws();
    doc.steadyState.period = period;
    expect(refused(metricPeriod, doc)[0]?.path).toBe('steadyState.period');
  });
  it('allows whole-second local periods and refuses fractions', () => {
    const doc = local();
    doc.steadyState.period = 'PT2S';
    expectAllows(metricPeriod, doc);
    doc.steadyState.period = 'PT0.5S';
    expect(refused(metricPeriod, doc)).toHaveLength(1);
  });
});

describe('baseline-covers-period', () => {
  it('allows a baseline of one period or more', () => expectAllows(baselineCoversPeriod, aws()));
  it('refuses a baseline shorter than the period', () => {
    const doc = aws();
    doc.steadyState.baseline = 'PT30S';
    expect(refused(baselineCoversPeriod, doc)[0]?.path).toBe('steadyState.baseline');
  });
});

describe('local-block', () => {
  it('allows local with provider local and neither in AWS', () => {
    expectAllows(localBlock, local());
    expectAllows(localBlock, aws());
  });
  it('refuses provider local without the block, pointing at provider', () => {
    const doc = local();
    delete doc.local;
    expect(localBlock.check(doc)).toEqual([{ path: ['local'], at: ['provider'], message: expect.any(String) }]);
  });
  it('refuses the block in an AWS experiment', () => {
    const doc = aws();
    doc.local = { instances: 1, rps: 1 };
    expect(refused(localBlock, doc)[0]?.path).toBe('local');
  });
});

describe('local-faults', () => {
  it('allows the sandbox vocabulary locally and AWS ids in AWS', () => {
    expectAllows(localFaults, local());
    expectAllows(localFaults, aws());
  });
  it('refuses AWS ids, other target keys and templateId in a local file', () => {
    const doc = local();
    doc.fault.template.actions.kill.actionId = 'aws:ec2:terminate-instances';
    doc.fault.template.actions.kill.targets = { Hosts: 'web' };
    doc.fault.template.targets.web.resourceType = 'aws:ec2:instance';
    doc.fault.templateId = 'EXTabc';
    expect(refused(localFaults, doc).map((i) => i.path)).toEqual([
      'fault.templateId',
      'fault.template.targets.web.resourceType',
      'fault.template.actions.kill.actionId',
      'fault.template.actions.kill.targets.Hosts',
    ]);
  });
  it('refuses sandbox ids in an AWS file', () => {
    const doc = aws();
    doc.fault.template.actions.kill.actionId = 'local:http:errors';
    expect(refused(localFaults, doc)[0]?.path).toBe('fault.template.actions.kill.actionId');
  });
});

describe('local-alarm-names', () => {
  it('allows stop conditions and guardrail alarms that are local alarms', () => expectAllows(localAlarmNames, local()));
  it('refuses names that are not local alarms', () => {
    const doc = local();
    doc.fault.template.stopConditions = ['web-5xx-high'];
    doc.guardrails.alarms = ['error_burst', 'other'];
    expect(refused(localAlarmNames, doc).map((i) => i.path)).toEqual([
      'fault.template.stopConditions.0',
      'guardrails.alarms.1',
    ]);
  });
});

describe('local-alarm-names: expect.detect', () => {
  it('allows detection alarms that are local alarms', () => {
    const doc = local();
    doc.expect.detect = { alarms: ['error_burst'], within: 'PT10S' };
    expectAllows(localAlarmNames, doc);
  });
  it('refuses a detection alarm that is not a local alarm', () => {
    const doc = local();
    doc.expect.detect = { alarms: ['error_burst', 'checkout-5xx-high'], within: 'PT10S' };
    expect(refused(localAlarmNames, doc)).toEqual([
      { path: 'expect.detect.alarms.1', message: expect.stringContaining('unknown local alarm "checkout-5xx-high"') },
    ]);
  });
});

describe('detect-within', () => {
  it('allows a window up to maxDuration', () => {
    const doc = aws();
    doc.expect.detect = { alarms: ['checkout-5xx-high'], within: 'PT15M' };
    expectAllows(detectWithin, doc);
  });
  it('refuses a window longer than maxDuration, or zero', () => {
    const doc = aws();
    doc.expect.detect = { alarms: ['checkout-5xx-high'], within: 'PT20M' };
    expect(refused(detectWithin, doc)).toEqual([
      {
        path: 'expect.detect.within',
        message: 'within PT20M is longer than fault.maxDuration PT15M; lower it to at most that',
      },
    ]);
    doc.expect.detect.within = 'PT0S';
    expect(refused(detectWithin, doc)[0]?.message).toBe('within must be a positive duration such as PT3M');
  });
});

describe('window', () => {
  it('allows an overnight window', () => {
    const doc = aws();
    doc.guardrails.window.between = '22:00-02:00';
    expectAllows(runWindow, doc);
  });
  it('refuses an empty window', () => {
    const doc = aws();
    doc.guardrails.window.between = '10:00-10:00';
    expect(refused(runWindow, doc)[0]?.message).toContain('empty window');
  });
});

describe('blackout-dates', () => {
  it('allows a one-day blackout (dates are inclusive)', () => {
    const doc = aws();
    doc.guardrails.blackouts = [{ from: '2026-03-29', to: '2026-03-29' }];
    expectAllows(blackoutDates, doc);
  });
  it('refuses to before from, and dates that do not exist', () => {
    const doc = aws();
    doc.guardrails.blackouts = [
      { from: '2026-12-31', to: '2026-12-01' },
      { from: '2026-02-29', to: '2026-13-01' },
    ];
    expect(refused(blackoutDates, doc).map((i) => i.path)).toEqual([
      'guardrails.blackouts.0.to',
      'guardrails.blackouts.1.from',
      'guardrails.blackouts.1.to',
    ]);
  });
});

describe('schedule-expression', () => {
  it('allows cron and rate expressions', () => {
    const doc = aws();
    expectAllows(scheduleExpression, doc);
    doc.schedule.expression = 'rate(5 minutes)';
    expectAllows(scheduleExpression, doc);
  });
  it('refuses a Unix five-field cron', () => {
    const doc = aws();
    doc.schedule.expression = 'cron(0 10 * * 1)';
    expect(refused(scheduleExpression, doc)[0]?.message).toContain('6 fields');
  });
});

describe('unique-names', () => {
  it('allows distinct names and refuses a name used twice, reported in both files', () => {
    expect(
      duplicateNames([
        { file: 'a.yaml', name: 'x' },
        { file: 'b.yaml', name: 'y' },
      ]).size,
    ).toBe(0);
    const dupes = duplicateNames([
      { file: 'a.yaml', name: 'x' },
      { file: 'b.yaml', name: 'y' },
      { file: 'c.yaml', name: 'x' },
    ]);
    expect([...dupes.keys()]).toEqual([0, 2]);
    expect(dupes.get(0)).toContain('also used by c.yaml');
  });
});

describe('every rule', () => {
  it('allows the base AWS and local documents', () => {
    for (const rule of RULES) {
      expect(rule.check(aws()), rule.name).toEqual([]);
      expect(rule.check(local()), rule.name).toEqual([]);
    }
  });

  it('never throws, whatever shape the document has', () => {
    const keys = fc.constantFrom(
      'fault',
      'template',
      'targets',
      'actions',
      'startAfter',
      'parameters',
      'duration',
      'steadyState',
      'probes',
      'expression',
      'period',
      'guardrails',
      'abortWhen',
      'local',
      'alarms',
      'probe',
      'expect',
      'during',
      'schedule',
      'blackouts',
      'window',
      'between',
      'provider',
      'stopConditions',
      'from',
      'to',
    );
    const doc = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom('local', 'PT1M', 'cron(0 10 ? * MON *)', 'COUNT(0)', 'a', 'web', '2026-01-01', null, 1, true),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(keys, tie('value'), { maxKeys: 4 }),
        fc.anything(),
      ),
    })).value;
    fc.assert(
      fc.property(doc, (raw) => {
        for (const rule of RULES) rule.check(raw);
      }),
      { numRuns: 500 },
    );
  });
});
