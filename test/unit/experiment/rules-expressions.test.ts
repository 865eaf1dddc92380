// The metric-math rules on their own, each with the case it allows and the case it refuses: expressions that
// check, functions the sandbox evaluates in local files, and abortWhen probes a CloudWatch alarm can evaluate.
import { describe, expect, it } from 'vitest';
import { abortWhenAlarm } from '../../../core/experiment/rules/abort-when-alarm.js';
import { expressionSyntax } from '../../../core/experiment/rules/expression-syntax.js';
import { localExpressions } from '../../../core/experiment/rules/local-expressions.js';
import type { Rule } from '../../../core/experiment/rules/rule.js';

const metric = (name: string, stat = 'Sum') => ({ metric: { namespace: 'AWS/ApplicationELB', name, stat } });

function doc(probes: Record<string, unknown>, abortWhen: Record<string, unknown> = {}, provider = 'aws') {
  return {
    provider,
    guardrails: { abortWhen },
    steadyState: {
      period: 'PT1M',
      probes: { errors: metric('HTTPCode_Target_5XX_Count'), requests: metric('RequestCount'), ...probes },
    },
  };
}

const check = (rule: Rule, raw: unknown) =>
  rule.check(raw).map((i) => ({ path: i.path.join('.'), message: i.message }));

describe('expression-syntax', () => {
  it('allows CloudWatch functions, comparisons and logic that yield one series', () => {
    expect(
      check(expressionSyntax, doc({ rate: { expression: 'IF(requests > 0 AND errors >= 1, errors / requests, 0)' } })),
    ).toEqual([]);
  });
  it('refuses an unknown function with the closest name and the column', () => {
    expect(check(expressionSyntax, doc({ rate: { expression: 'RATES(errors)' } }))).toEqual([
      {
        path: 'steadyState.probes.rate.expression',
        message: 'unknown function RATES() (did you mean RATE?); see the CloudWatch metric-math functions (column 1)',
      },
    ]);
  });
});

describe('local-expressions', () => {
  it('allows functions the sandbox evaluates in a local file, and any function in an AWS file', () => {
    expect(check(localExpressions, doc({ r: { expression: 'FILL(RATE(errors), 0)' } }, {}, 'local'))).toEqual([]);
    expect(check(localExpressions, doc({ q: { expression: 'SERVICE_QUOTA(errors)' } }))).toEqual([]);
  });
  it('refuses an AWS-only function in a local file, once per function', () => {
    const raw = doc({ q: { expression: 'SERVICE_QUOTA(errors) - SERVICE_QUOTA(requests)' } }, {}, 'local');
    expect(check(localExpressions, raw)).toEqual([
      {
        path: 'steadyState.probes.q.expression',
        message:
          'SERVICE_QUOTA() is AWS-only: the sandbox cannot evaluate it (column 1); use it in a file with provider: aws',
      },
    ]);
  });
});

describe('abort-when-alarm', () => {
  it('allows metric-math functions alarms evaluate, through other probes too', () => {
    const raw = doc(
      { growth: { expression: 'RATE(depth) * PERIOD(depth)' }, depth: metric('Depth', 'Maximum') },
      { growth: { max: 5 } },
    );
    expect(check(abortWhenAlarm, raw)).toEqual([]);
  });
  it('refuses ANOMALY_DETECTION_BAND in the watched probe', () => {
    const raw = doc({ band: { expression: 'FIRST(ANOMALY_DETECTION_BAND(errors))' } }, { band: { max: 5 } });
    expect(check(abortWhenAlarm, raw)).toEqual([
      {
        path: 'guardrails.abortWhen.band',
        message: expect.stringContaining(
          'a CloudWatch alarm cannot evaluate ANOMALY_DETECTION_BAND() (its expression calls it)',
        ),
      },
    ]);
  });
  it('refuses a probe whose alarm would read more than 10 metrics', () => {
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`m${i}`, metric(`M${i}`, 'Maximum')]));
    const raw = doc({ ...many, total: { expression: Object.keys(many).join(' + ') } }, { total: { max: 5 } });
    expect(check(abortWhenAlarm, raw)).toEqual([
      {
        path: 'guardrails.abortWhen.total',
        message:
          'its alarm would read 11 metrics and 1 expressions; a CloudWatch alarm takes at most 10 of each: watch a probe that reads fewer',
      },
    ]);
  });
  it('leaves local files alone (they compile no CloudWatch alarm)', () => {
    const raw = doc({ band: { expression: 'FIRST(ANOMALY_DETECTION_BAND(errors))' } }, { band: { max: 5 } }, 'local');
    expect(check(abortWhenAlarm, raw)).toEqual([]);
  });
});
