// Compiles a checked metric-math AST back to the text CloudWatch evaluates (alarms and GetMetricData), and plans
// the queries of the alarm an `abortWhen` probe becomes. Both read the AST, never the user's text.
import type { MetricSpec, Probe } from '../experiment/schema.js';
import { defaultMissing } from '../steady-state/missing.js';
import { checkExpression } from './check.js';
import type { BinaryOp } from './parse.js';
import { type ExpressionNode, idsOf } from './parse.js';

/** Binding strength of each operator, loosest first (the parser's precedence). */
const PRECEDENCE: Record<BinaryOp, number> = {
  OR: 1,
  AND: 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '^': 7,
};
const UNARY = 6;

function precedenceOf(node: ExpressionNode): number {
  if (node.kind === 'binary') return PRECEDENCE[node.op];
  return node.kind === 'negate' ? UNARY : 8;
}

/**
 * CloudWatch's text for `ast`, with the parentheses precedence needs. PERIOD(id) becomes the period in seconds:
 * every probe has the experiment's period, and CloudWatch's PERIOD takes a metric only, while a probe read as
 * zero when missing is the expression FILL(raw, 0).
 */
export function printExpression(ast: ExpressionNode, periodSeconds: number): string {
  const wrap = (node: ExpressionNode, needs: boolean): string => (needs ? `(${print(node)})` : print(node));
  const print = (node: ExpressionNode): string => {
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
        return `[${node.items.map(print).join(', ')}]`;
      case 'negate':
        return `-${wrap(node.operand, precedenceOf(node.operand) < UNARY)}`;
      case 'binary': {
        const own = PRECEDENCE[node.op];
        // Left-associative except ^: the operand on the associative side may bind equally.
        const rightAssociative = node.op === '^';
        const left = wrap(node.left, rightAssociative ? precedenceOf(node.left) <= own : precedenceOf(node.left) < own);
        const right = wrap(
          node.right,
          rightAssociative ? precedenceOf(node.right) < own : precedenceOf(node.right) <= own,
        );
        return `${left} ${node.op} ${right}`;
      }
      case 'call':
        if (node.name === 'PERIOD') return String(periodSeconds);
        return `${node.name}(${node.args.map(print).join(', ')})`;
    }
  };
  return print(ast);
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
