// The metric-math subset: parsing and local evaluation.
export { evaluateAt, evaluateSeries } from './evaluate.js';
export { ExpressionError, type ExpressionNode, parseExpression, referencedIds } from './parse.js';
