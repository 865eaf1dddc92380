// A probe's expression is CloudWatch metric math that yields one time series: it parses, every function is a
// CloudWatch function given arguments it takes, every operator applies to its operands (core/expression).
import { checkExpression } from '../../expression/check.js';
import { ExpressionError } from '../../expression/parse.js';
import { asMap, asString, entriesAt, type Rule, type RuleIssue } from './rule.js';

export const expressionSyntax: Rule = {
  name: 'expression-syntax',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const [name, probe] of entriesAt(raw, 'steadyState', 'probes')) {
      const expression = asString(asMap(probe)?.['expression']);
      if (expression === undefined || expression.trim() === '') continue; // the schema says it must not be empty
      const problem = expressionProblem(expression);
      if (problem) issues.push({ path: ['steadyState', 'probes', name, 'expression'], message: problem });
    }
    return issues;
  },
};

/** The one-line problem with `expression` (with its column), or undefined when it checks. */
export function expressionProblem(expression: string): string | undefined {
  try {
    checkExpression(expression);
    return undefined;
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return `${error.reason} (column ${error.position + 1})`;
  }
}
