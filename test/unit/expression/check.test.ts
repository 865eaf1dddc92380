// The checks every expression passes before validation accepts it, the sandbox evaluates it or the CDK compiles
// it: CloudWatch's functions with the arguments they take, and one time series as the result.
import { describe, expect, it } from 'vitest';
import { checkExpression } from '../../../core/expression/check.js';
import { alarmQueries, compileExpression } from '../../../core/expression/compile.js';
import { METRIC_MATH_FUNCTIONS } from '../../../core/expression/functions.js';
import { ExpressionError } from '../../../core/expression/parse.js';

describe('checkExpression', () => {
  it.each([
    '100 * errors / requests',
    'RATE(queue_depth) * PERIOD(queue_depth)',
    'FILL(processed, 0) / PERIOD(processed)',
    'FILL(m, REPEAT) + FILL(m, LINEAR)',
    'IF(errors > 0 AND requests > 10, errors / requests, 0)',
    'IF((DAY(m) < 6 AND (HOUR(m) >= 9 AND HOUR(m) < 17)), m)',
    'm - AVG(m)',
    'MAX([a, b]) - MIN([a, b])',
    'ABS(DIFF(m)) + DIFF_TIME(m) + RUNNING_SUM(m) + CEIL(m) + FLOOR(m) + LOG10(m) + LOG(m)',
    'TIME_SERIES(5 * AVG(m))',
    'FIRST(SORT([a, b], AVG, DESC))',
    "SUM(SEARCH('{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"', 'Average', 300))",
    "INSIGHT_RULE_METRIC('rule', 'Sum')",
    'm / DATAPOINT_COUNT(m) + STDDEV(m) + m ^ 2',
    'MINUTE(m) + DATE(m) + MONTH(m) + YEAR(m) + EPOCH(m)',
    'SERVICE_QUOTA(usage) - usage',
  ])('accepts %s', (text) => {
    expect(() => checkExpression(text)).not.toThrow();
  });

  it.each([
    ['FILLL(m, 0)', /unknown function FILLL\(\) \(did you mean FILL\?\)/, 0],
    ['FILL(m)', /FILL\(\) takes 2 arguments; use FILL\(series, number \| REPEAT \| LINEAR\)/, 0],
    ['FILL(m, UP)', /FILL\(\) does not take \(a time series, the keyword UP\)/, 8],
    ['AVG(m)', /yields one number, not a time series.*TIME_SERIES/, 0],
    ['[a, b] * 2', /several time series.*SUM\(\[a, b\]\)/, 0],
    ['SUM(METRICS())', /METRICS\(\) reads every metric of the request/, 4],
    ['PERIOD(a + b)', /PERIOD\(\) takes a probe id/, 7],
    ['MAX(a, b)', /MAX\(\) takes 1 argument; use MAX\(series\) or MAX\(\[series, …\]\)/, 0],
    ["m + 'x'", /"\+" does not apply to a string/, 4],
    ['REPEAT + m', /REPEAT is not a probe id or a value here/, 0],
  ])('refuses %s, naming what is wrong and where', (text, message, position) => {
    let error: unknown;
    try {
      checkExpression(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).reason).toMatch(message);
    expect((error as ExpressionError).position).toBe(position);
  });

  it('describes every function with forms that parse and say what a CloudWatch alarm refuses', () => {
    for (const [name, fn] of Object.entries(METRIC_MATH_FUNCTIONS)) {
      expect(fn.forms.length, name).toBeGreaterThan(0);
      for (const form of fn.forms) expect(form, name).toMatch(/->\s*(S|TS|TS\[\])$/);
    }
    const notInAlarms = Object.entries(METRIC_MATH_FUNCTIONS).filter(([, f]) => f.notInAlarms);
    expect(notInAlarms.map(([n]) => n).sort()).toEqual(['ANOMALY_DETECTION_BAND', 'SEARCH']);
  });
});

describe('compileExpression', () => {
  it('prints the AST back with the parentheses precedence needs, and PERIOD() as the period in seconds', () => {
    expect(compileExpression('FILL(processed,0)/PERIOD(processed)', 10)).toBe('FILL(processed, 0) / 10');
    expect(compileExpression('a - (b - c) * 2 && x', 60)).toBe('a - (b - c) * 2 AND x');
    expect(compileExpression('(a - b) - (c - d) + -(e + 1) ^ 2', 60)).toBe('a - b - (c - d) + -(e + 1) ^ 2');
    expect(compileExpression('(2 ^ 3) ^ 2 + 2 ^ 3 ^ 2 + (-a) ^ 2', 60)).toBe('(2 ^ 3) ^ 2 + 2 ^ 3 ^ 2 + (-a) ^ 2');
    expect(compileExpression("SUM(SEARCH('it''s', 'Sum'))".replace("''", "\\'"), 60)).toBe(
      "SUM(SEARCH('it\\'s', 'Sum'))",
    );
  });
});

describe('alarmQueries', () => {
  const probes = {
    errors: { metric: { namespace: 'N', name: 'Errors', stat: 'Sum' } },
    depth: { metric: { namespace: 'N', name: 'Depth', stat: 'Maximum' } },
    rate: { expression: 'RATE(depth) * PERIOD(depth) + errors', label: 'growth' },
    double: { expression: '2 * rate' },
  };

  it('lists each probe once, dependencies first; zero-filled metrics are FILL(raw, 0) inside expressions', () => {
    expect(alarmQueries(probes, 'double', 60)).toEqual([
      { id: 'depth', metric: probes.depth.metric },
      { id: 'errors_raw', metric: probes.errors.metric },
      { id: 'errors', expression: 'FILL(errors_raw, 0)', uses: ['errors_raw'] },
      { id: 'rate', expression: 'RATE(depth) * 60 + errors', uses: ['depth', 'errors'], label: 'growth' },
      { id: 'double', expression: '2 * rate', uses: ['rate'] },
    ]);
  });

  it('watches a metric probe directly', () => {
    expect(alarmQueries(probes, 'errors', 60)).toEqual([{ id: 'errors', metric: probes.errors.metric }]);
  });
});
