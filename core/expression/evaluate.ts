// The sandbox's metric-math evaluator: the AST over probe series, as CloudWatch evaluates it for GetMetricData.
// Arithmetic between two series is computed on the timestamps both have; comparisons and logic between two
// series read a missing value as 0 (as documented); a result that is not finite (x / 0) is dropped. Functions
// that need data only CloudWatch has (SEARCH, SERVICE_QUOTA…) are refused here and at validation of local files.
import type { Series } from '../ports.js';
import { checkExpression } from './check.js';
import { METRIC_MATH_FUNCTIONS } from './functions.js';
import { type BinaryOp, ExpressionError, type ExpressionNode, idsOf } from './parse.js';

export interface EvaluationContext {
  /** the probes' period: PERIOD(), and the step of the grid that FILL, TIME_SERIES and MINUTE… fill in */
  periodSeconds?: number;
  /** the period starts (epoch ms) the window holds; by default every period from the first to the last input */
  timestamps?: readonly number[];
}

type Points = Map<number, number>;
type Value =
  | { type: 'S'; value: number }
  | { type: 'TS'; points: Points }
  | { type: 'TS[]'; list: Points[] }
  | { type: 'STR'; value: string }
  | { type: 'KEYWORD'; name: string };

/**
 * The series `text` yields over `seriesById`. The expression is checked first (ExpressionError for one that
 * does not parse, names an unknown function, or yields anything but one series).
 */
export function evaluateSeries(
  text: string,
  seriesById: Readonly<Record<string, Series>>,
  context: EvaluationContext = {},
): Series {
  const ast = checkExpression(text);
  const inputs = new Map<string, Points>();
  for (const id of idsOf(ast)) {
    const series = Object.hasOwn(seriesById, id) ? seriesById[id] : undefined;
    if (!series) throw new ExpressionError(`unknown probe "${id}"`, text, text.indexOf(id));
    inputs.set(id, sorted(series.filter(([, v]) => Number.isFinite(v))));
  }
  const grid = context.timestamps ? [...context.timestamps].sort((a, b) => a - b) : gridOf(inputs, context);
  const result = new Evaluator(text, inputs, grid, context.periodSeconds).value(ast);
  if (result.type !== 'TS') throw new ExpressionError('the expression does not yield one time series', text, 0);
  return [...result.points].filter(([, v]) => Number.isFinite(v));
}

function sorted(points: Iterable<readonly [number, number]>): Points {
  return new Map([...points].map(([t, v]): [number, number] => [t, v]).sort((a, b) => a[0] - b[0]));
}

/** Every period from the earliest to the latest input timestamp (or the timestamps themselves without a period). */
function gridOf(inputs: ReadonlyMap<string, Points>, context: EvaluationContext): number[] {
  const all = [...new Set([...inputs.values()].flatMap((p) => [...p.keys()]))].sort((a, b) => a - b);
  const step = (context.periodSeconds ?? 0) * 1000;
  if (all.length === 0 || !(step > 0)) return all;
  const grid: number[] = [];
  for (let t = all[0]!; t <= all.at(-1)!; t += step) grid.push(t);
  return [...new Set([...grid, ...all])].sort((a, b) => a - b);
}

const truthy = (v: number): boolean => v !== 0;

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '<': (a, b) => Number(a < b),
  '<=': (a, b) => Number(a <= b),
  '>': (a, b) => Number(a > b),
  '>=': (a, b) => Number(a >= b),
  AND: (a, b) => Number(truthy(a) && truthy(b)),
  OR: (a, b) => Number(truthy(a) || truthy(b)),
};

/** Keeps finite values only: CloudWatch drops a datapoint whose computation divides by zero. */
function finite(entries: Iterable<[number, number]>): Points {
  const out: Points = new Map();
  for (const [t, v] of entries) if (Number.isFinite(v)) out.set(t, v);
  return sorted(out);
}

function mapPoints(points: Points, f: (v: number, t: number) => number): Points {
  return finite([...points].map(([t, v]): [number, number] => [t, f(v, t)]));
}

/** Consecutive pairs of a series: DIFF, DIFF_TIME, RATE. */
function pairwise(points: Points, f: (v: number, prev: number, seconds: number) => number): Points {
  const entries = [...points];
  const out: Array<[number, number]> = [];
  for (let i = 1; i < entries.length; i++) {
    const [t, v] = entries[i]!;
    const [pt, pv] = entries[i - 1]!;
    out.push([t, f(v, pv, (t - pt) / 1000)]);
  }
  return finite(out);
}

function aggregate(name: string, values: number[]): number {
  if (name === 'DATAPOINT_COUNT') return values.length;
  if (values.length === 0) return Number.NaN;
  const sum = values.reduce((a, b) => a + b, 0);
  if (name === 'SUM') return sum;
  if (name === 'AVG') return sum / values.length;
  if (name === 'MAX') return Math.max(...values);
  if (name === 'MIN') return Math.min(...values);
  // STDDEV: the population standard deviation of the values.
  const mean = sum / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

const TIME_PARTS: Record<string, (d: Date) => number> = {
  MINUTE: (d) => d.getUTCMinutes(),
  HOUR: (d) => d.getUTCHours(),
  DAY: (d) => ((d.getUTCDay() + 6) % 7) + 1, // 1 = Monday … 7 = Sunday
  DATE: (d) => d.getUTCDate(),
  MONTH: (d) => d.getUTCMonth() + 1,
  YEAR: (d) => d.getUTCFullYear(),
  EPOCH: (d) => d.getTime() / 1000,
};

const PER_POINT: Record<string, (v: number) => number> = {
  ABS: Math.abs,
  CEIL: Math.ceil,
  FLOOR: Math.floor,
  LOG: Math.log,
  LOG10: Math.log10,
};

class Evaluator {
  constructor(
    private readonly text: string,
    private readonly inputs: ReadonlyMap<string, Points>,
    private readonly grid: readonly number[],
    private readonly periodSeconds: number | undefined,
  ) {}

  value(node: ExpressionNode): Value {
    switch (node.kind) {
      case 'number':
        return { type: 'S', value: node.value };
      case 'string':
        return { type: 'STR', value: node.value };
      case 'keyword':
        return { type: 'KEYWORD', name: node.name };
      case 'ref':
        return { type: 'TS', points: this.inputs.get(node.id)! };
      case 'array':
        return { type: 'TS[]', list: node.items.flatMap((item) => this.seriesList(item)) };
      case 'negate':
        return this.binary('*', { type: 'S', value: -1 }, this.value(node.operand));
      case 'binary':
        return this.binary(node.op, this.value(node.left), this.value(node.right));
      case 'call':
        return this.call(node);
    }
  }

  private seriesList(node: ExpressionNode): Points[] {
    const v = this.value(node);
    if (v.type === 'TS') return [v.points];
    if (v.type === 'TS[]') return v.list;
    throw new ExpressionError('an array holds time series', this.text, node.at);
  }

  private binary(op: BinaryOp, a: Value, b: Value): Value {
    const f = ARITHMETIC[op]!;
    const arithmetic = ['+', '-', '*', '/', '^'].includes(op);
    if (a.type === 'TS[]') return { type: 'TS[]', list: a.list.map((p) => this.seriesOf(this.binary(op, ts(p), b))) };
    if (b.type === 'TS[]') return { type: 'TS[]', list: b.list.map((p) => this.seriesOf(this.binary(op, a, ts(p)))) };
    if (a.type === 'S' && b.type === 'S') return { type: 'S', value: f(a.value, b.value) };
    if (a.type === 'TS' && b.type === 'S') return ts(mapPoints(a.points, (v) => f(v, b.value)));
    if (a.type === 'S' && b.type === 'TS') return ts(mapPoints(b.points, (v) => f(a.value, v)));
    if (a.type === 'TS' && b.type === 'TS') {
      const times = arithmetic
        ? [...a.points.keys()].filter((t) => b.points.has(t))
        : [...new Set([...a.points.keys(), ...b.points.keys()])];
      return ts(finite(times.map((t): [number, number] => [t, f(a.points.get(t) ?? 0, b.points.get(t) ?? 0)])));
    }
    throw new ExpressionError(`"${op}" does not apply here`, this.text, 0);
  }

  private seriesOf(v: Value): Points {
    if (v.type !== 'TS') throw new ExpressionError('expected one time series', this.text, 0);
    return v.points;
  }

  private call(node: ExpressionNode & { kind: 'call' }): Value {
    const { name } = node;
    const fn = METRIC_MATH_FUNCTIONS[name];
    if (!fn?.sandbox) {
      throw new ExpressionError(`${name}() is AWS-only: the sandbox cannot evaluate it`, this.text, node.at);
    }
    const args = node.args.map((a) => this.value(a));
    const [first, second, third] = args;
    const perSeries = (f: (p: Points) => Points): Value =>
      first!.type === 'TS[]' ? { type: 'TS[]', list: first!.list.map(f) } : ts(f(this.seriesOf(first!)));

    if (name in PER_POINT) return perSeries((p) => mapPoints(p, PER_POINT[name]!));
    if (name === 'DIFF') return perSeries((p) => pairwise(p, (v, prev) => v - prev));
    if (name === 'DIFF_TIME') return perSeries((p) => pairwise(p, (_v, _prev, seconds) => seconds));
    if (name === 'RATE') return perSeries((p) => pairwise(p, (v, prev, seconds) => (v - prev) / seconds));
    if (name === 'RUNNING_SUM') {
      return perSeries((p) => {
        let total = 0;
        return mapPoints(p, (v) => (total += v));
      });
    }
    if (name in TIME_PARTS)
      return ts(finite(this.grid.map((t): [number, number] => [t, TIME_PARTS[name]!(new Date(t))])));
    if (['AVG', 'SUM', 'MAX', 'MIN', 'STDDEV', 'DATAPOINT_COUNT'].includes(name)) {
      if (first!.type === 'TS') return { type: 'S', value: aggregate(name, [...first!.points.values()]) };
      const list = first!.type === 'TS[]' ? first!.list : [];
      // Across an array, per timestamp; SUM and AVG read a missing value as 0, as documented.
      const times = [...new Set(list.flatMap((p) => [...p.keys()]))];
      const zeroFilled = name === 'SUM' || name === 'AVG';
      return ts(
        finite(
          times.map((t): [number, number] => {
            const values = list.flatMap((p) => (p.has(t) ? [p.get(t)!] : zeroFilled ? [0] : []));
            return [t, name === 'DATAPOINT_COUNT' ? values.length : aggregate(name, values)];
          }),
        ),
      );
    }
    if (name === 'FILL') return perSeries((p) => this.fill(p, second!));
    if (name === 'FIRST' || name === 'LAST') {
      const list = first!.type === 'TS[]' ? first!.list : [];
      return ts((name === 'FIRST' ? list[0] : list.at(-1)) ?? new Map());
    }
    if (name === 'METRIC_COUNT') return { type: 'S', value: first!.type === 'TS[]' ? first!.list.length : 0 };
    if (name === 'REMOVE_EMPTY')
      return { type: 'TS[]', list: first!.type === 'TS[]' ? first!.list.filter((p) => p.size > 0) : [] };
    if (name === 'PERIOD') {
      if (this.periodSeconds === undefined)
        throw new ExpressionError("PERIOD() needs the probes' period", this.text, node.at);
      return { type: 'S', value: this.periodSeconds };
    }
    if (name === 'TIME_SERIES') {
      const v = first!.type === 'S' ? first!.value : Number.NaN;
      return ts(finite(this.grid.map((t): [number, number] => [t, v])));
    }
    if (name === 'IF') return this.ifValue(first!, second!, third);
    throw new ExpressionError(`${name}() is AWS-only: the sandbox cannot evaluate it`, this.text, node.at);
  }

  /** FILL(series, number | REPEAT | LINEAR | series) over the window's grid. */
  private fill(points: Points, filler: Value): Points {
    const out: Array<[number, number]> = [];
    const known = [...points];
    for (const t of [...new Set([...this.grid, ...points.keys()])].sort((a, b) => a - b)) {
      if (points.has(t)) {
        out.push([t, points.get(t)!]);
        continue;
      }
      const before = known.filter(([k]) => k < t).at(-1);
      const after = known.find(([k]) => k > t);
      if (filler.type === 'S') out.push([t, filler.value]);
      else if (filler.type === 'TS' && filler.points.has(t)) out.push([t, filler.points.get(t)!]);
      else if (filler.type === 'KEYWORD' && filler.name === 'REPEAT' && before) out.push([t, before[1]]);
      else if (filler.type === 'KEYWORD' && filler.name === 'LINEAR' && before && after) {
        out.push([t, before[1] + ((after[1] - before[1]) * (t - before[0])) / (after[0] - before[0])]);
      }
    }
    return finite(out);
  }

  /** IF(condition, then, else?) as documented: a missing `then` point reads 0, a missing `else` drops the point. */
  private ifValue(condition: Value, then: Value, otherwise: Value | undefined): Value {
    if (condition.type === 'S') {
      const chosen = truthy(condition.value) ? then : otherwise;
      return chosen?.type === 'TS' ? chosen : ts(new Map());
    }
    const out: Array<[number, number]> = [];
    for (const [t, c] of this.seriesOf(condition)) {
      if (truthy(c)) {
        out.push([t, then.type === 'S' ? then.value : then.type === 'TS' ? (then.points.get(t) ?? 0) : Number.NaN]);
      } else if (otherwise?.type === 'S') out.push([t, otherwise.value]);
      else if (otherwise?.type === 'TS' && otherwise.points.has(t)) out.push([t, otherwise.points.get(t)!]);
    }
    return ts(finite(out));
  }
}

function ts(points: Points): Value {
  return { type: 'TS', points };
}
