// The probe ids a probe's metric-math expression reads, from the one grammar (core/expression). An expression
// that does not parse reads nothing here: the expression-syntax rule reports it at its field.
import { ExpressionError, referencedIds } from '../../expression/parse.js';

export function referencedProbeIds(expression: string): string[] {
  try {
    return referencedIds(expression);
  } catch (error) {
    if (error instanceof ExpressionError) return [];
    throw error;
  }
}
