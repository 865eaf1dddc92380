// Evaluates a metric-math expression over probe series, as CloudWatch does for GetMetricData:
// point by point on the timestamps every referenced series has, dropping non-finite results (x / 0).
import type { Series } from '../ports.js';
import { ExpressionError, type ExpressionNode, parseExpression, referencedIds } from './parse.js';

/** Value of `node` at one timestamp, given each referenced id's value there. */
export function evaluateAt(node: ExpressionNode, values: Readonly<Record<string, number>>): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'ref': {
      const v = Object.hasOwn(values, node.id) ? values[node.id] : undefined;
      if (v === undefined) throw new RangeError(`no value for "${node.id}"`);
      return v;
    }
    case 'negate':
      return -evaluateAt(node.operand, values);
    case 'binary': {
      const a = evaluateAt(node.left, values);
      const b = evaluateAt(node.right, values);
      if (node.op === '+') return a + b;
      if (node.op === '-') return a - b;
      if (node.op === '*') return a * b;
      return a / b;
    }
  }
}

/**
 * The series `text` yields. Timestamps are those present in every referenced series (a missing input
 * leaves no datapoint, as in CloudWatch; fill zero-policy inputs first, as FILL(m, 0) does in AWS).
 * A result that is not finite (division by zero) is dropped. An expression of constants alone yields
 * no series, since it has no timestamps.
 */
export function evaluateSeries(text: string, seriesById: Readonly<Record<string, Series>>): Series {
  const ast = parseExpression(text);
  const ids = referencedIds(text);
  const maps = new Map<string, Map<number, number>>();
  for (const id of ids) {
    const series = Object.hasOwn(seriesById, id) ? seriesById[id] : undefined;
    if (!series) throw new ExpressionError(`unknown probe "${id}"`, text, text.indexOf(id));
    maps.set(id, new Map(series.filter(([, v]) => Number.isFinite(v))));
  }
  if (ids.length === 0) return [];
  const [first, ...rest] = ids.map((id) => maps.get(id)!);
  const timestamps = [...first!.keys()].filter((t) => rest.every((m) => m.has(t))).sort((a, b) => a - b);
  const out: Series = [];
  for (const t of timestamps) {
    const values: Record<string, number> = {};
    for (const id of ids) values[id] = maps.get(id)!.get(t)!;
    const v = evaluateAt(ast, values);
    if (Number.isFinite(v)) out.push([t, v]);
  }
  return out;
}
