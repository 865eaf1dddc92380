// CloudWatch metric math: one grammar (parse), one function table, checks, the compiler for CloudWatch and the
// sandbox's evaluator.
export { checkExpression, typeOf, usage } from './check.js';
export {
  ALARM_MAX_EXPRESSIONS,
  ALARM_MAX_METRICS,
  type AlarmQuery,
  alarmQueries,
  compileExpression,
  printExpression,
} from './compile.js';
export { type EvaluationContext, evaluateSeries } from './evaluate.js';
export { METRIC_MATH_FUNCTIONS, type MetricMathFunction } from './functions.js';
export {
  callsOf,
  ExpressionError,
  type ExpressionNode,
  idsOf,
  parseExpression,
  referencedIds,
  walk,
} from './parse.js';
