// Compiles a checked metric-math AST back to the text CloudWatch evaluates (alarms and GetMetricData), and plans
// the queries of the alarm an `abortWhen` probe becomes. Both read the AST, never the user's text.
import type { MetricSpec, Probe } from '../experiment/schema.js';
import { defaultMissing } from '../steady-state/missing.js';
import { checkExpression } from './check.js';
import { type ExpressionNode, idsOf } from './parse.js';

/**
 * CloudWatch's text for `ast`. PERIOD(id) becomes the period in seconds: every probe has the experiment's period,
 * and CloudWatch's PERIOD takes a metric only, while a probe read as zero when missing is the expression
 * FILL(raw, 0). Binary operands are parenthesised, so precedence never depends on CloudWatch's reading.
 */
export function printExpression(ast: ExpressionNode, periodSeconds: number): string {
  const print = (node: ExpressionNode, nested: boolean): string => {
    switch (node.kind) {
      case 'number':
        return String(node.value);
      case 'string':
        return `'${node.value.replace(/[\\']/g, '\\$&')}'`;
      case 'ref':
        return node.id;
      case 'keyword':
        return node.name;
      case 'array':
        return `[${node.items.map((i) => print(i, false)).join(', ')}]`;
      case 'negate':
        return `-${print(node.operand, true)}`;
      case 'binary': {
        const text = `${print(node.left, true)} ${node.op} ${print(node.right, true)}`;
        return nested ? `(${text})` : text;
      }
      case 'call':
        if (node.name === 'PERIOD') return String(periodSeconds);
        return `${node.name}(${node.args.map((a) => print(a, false)).join(', ')})`;
    }
  };
  return print(ast, false);
}

/** `text` checked and compiled for CloudWatch (throws ExpressionError when it does not check). */
export function compileExpression(text: string, periodSeconds: number): string {
  return printExpression(checkExpression(text), periodSeconds);
}

/** One query of a metric-math alarm: a metric, or an expression over the queries named in `uses`. */
export type AlarmQuery =
  | { id: string; metric: MetricSpec }
  | { id: string; expression: string; uses: string[]; label?: string };

/** PutMetricAlarm takes at most 10 metrics and 10 expressions (MetricDataQuery, CloudWatch API reference). */
export const ALARM_MAX_METRICS = 10;
export const ALARM_MAX_EXPRESSIONS = 10;

/**
 * The queries of the alarm on probe `name`, dependencies first, the watched one last: each probe it reads once,
 * a metric probe read as zero when missing becomes FILL(<id>_raw, 0) inside expressions (as GetMetricData reads
 * it in the workflow). Throws ExpressionError for an expression that does not check; the probes must exist and
 * form no cycle (validation's rules).
 */
export function alarmQueries(
  probes: Readonly<Record<string, Probe>>,
  name: string,
  periodSeconds: number,
): AlarmQuery[] {
  const out: AlarmQuery[] = [];
  const done = new Set<string>();
  const visit = (id: string, insideExpression: boolean, path: readonly string[]): void => {
    const probe = Object.hasOwn(probes, id) ? probes[id] : undefined;
    if (!probe || typeof probe !== 'object') throw new RangeError(`probe "${path.at(-1)}" reads unknown probe "${id}"`);
    if (path.includes(id)) throw new RangeError(`probes form a cycle: ${[...path, id].join(' → ')}`);
    if (done.has(id)) return;
    done.add(id);
    if (probe.metric) {
      if (insideExpression && defaultMissing(probe) === 'zero') {
        out.push({ id: `${id}_raw`, metric: probe.metric });
        out.push({ id, expression: `FILL(${id}_raw, 0)`, uses: [`${id}_raw`] });
      } else {
        out.push({ id, metric: probe.metric });
      }
      return;
    }
    if (typeof probe.expression !== 'string') throw new RangeError(`probe "${id}" has neither metric nor expression`);
    const ast = checkExpression(probe.expression);
    const uses = idsOf(ast);
    for (const ref of uses) visit(ref, true, [...path, id]);
    out.push({
      id,
      expression: printExpression(ast, periodSeconds),
      uses,
      ...(probe.label !== undefined ? { label: probe.label } : {}),
    });
  };
  visit(name, false, []);
  return out;
}
