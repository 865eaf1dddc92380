// In a `provider: local` file every expression is evaluated by the sandbox, so it may call only the metric-math
// functions the sandbox evaluates (core/expression/functions.ts); the others read data only CloudWatch has.
import { METRIC_MATH_FUNCTIONS } from '../../expression/functions.js';
import { callsOf, ExpressionError, parseExpression } from '../../expression/parse.js';
import { asMap, asString, entriesAt, providerOf, type Rule, type RuleIssue } from './rule.js';

const awsOnly = (name: string): boolean => {
  const fn = METRIC_MATH_FUNCTIONS[name];
  return fn !== undefined && !fn.sandbox && fn.refused === undefined; // a refused function is expression-syntax's
};

export const localExpressions: Rule = {
  name: 'local-expressions',
  check(raw) {
    if (providerOf(raw) !== 'local') return [];
    const issues: RuleIssue[] = [];
    for (const [name, probe] of entriesAt(raw, 'steadyState', 'probes')) {
      const expression = asString(asMap(probe)?.['expression']);
      if (expression === undefined) continue;
      let calls: Array<{ name: string; at: number }>;
      try {
        calls = callsOf(parseExpression(expression), awsOnly);
      } catch (error) {
        if (error instanceof ExpressionError) continue; // expression-syntax reports it
        throw error;
      }
      for (const call of calls) {
        issues.push({
          path: ['steadyState', 'probes', name, 'expression'],
          message: `${call.name}() is AWS-only: the sandbox cannot evaluate it (column ${call.at + 1}); use it in a file with provider: aws`,
        });
      }
    }
    return issues;
  },
};
