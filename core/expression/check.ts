// Checks a parsed metric-math expression against the function table: known functions with a form that takes
// their arguments, operators on values they apply to, and a result that is one time series (a probe, like a
// CloudWatch alarm, watches exactly one). Errors name the column and, where there is one, the fix.
import { closestName } from '../did-you-mean.js';
import { type Form, formsOf, isMetricMathFunction, METRIC_MATH_FUNCTIONS, type ValueType } from './functions.js';
import { ExpressionError, type ExpressionNode, parseExpression } from './parse.js';

/** What a node yields: a value type, or a bare keyword (REPEAT, ASC…) that only a function argument may be. */
type Yield = ValueType | { keyword: string };

const describe: Record<ValueType, string> = {
  S: 'a number',
  TS: 'a time series',
  'TS[]': 'an array of time series',
  STR: 'a string',
  'STR[]': 'an array of strings',
};

function describeYield(y: Yield): string {
  return typeof y === 'string' ? describe[y] : `the keyword ${y.keyword}`;
}

/** The type `node` yields; throws ExpressionError at the first node that does not check. */
export function typeOf(node: ExpressionNode, text: string): ValueType {
  const y = yieldOf(node, text);
  if (typeof y !== 'string') {
    throw new ExpressionError(`${y.keyword} is not a probe id or a value here`, text, node.at);
  }
  return y;
}

function yieldOf(node: ExpressionNode, text: string): Yield {
  const fail = (message: string, at = node.at): never => {
    throw new ExpressionError(message, text, at);
  };
  switch (node.kind) {
    case 'number':
      return 'S';
    case 'string':
      return 'STR';
    case 'ref':
      return 'TS';
    case 'keyword':
      return { keyword: node.name };
    case 'array': {
      if (node.items.length === 0) return fail('an array needs at least one item');
      const types = node.items.map((item) => typeOf(item, text));
      if (types.every((t) => t === 'TS' || t === 'TS[]')) return 'TS[]';
      if (types.every((t) => t === 'STR')) return 'STR[]';
      const odd = node.items[types.findIndex((t) => t !== 'TS' && t !== 'TS[]')]!;
      return fail(`an array holds time series (probe ids), not ${describe[typeOf(odd, text)]}`, odd.at);
    }
    case 'negate': {
      const t = typeOf(node.operand, text);
      if (t === 'STR' || t === 'STR[]') return fail(`cannot negate ${describe[t]}`);
      return t;
    }
    case 'binary': {
      const left = typeOf(node.left, text);
      const right = typeOf(node.right, text);
      for (const [t, side] of [
        [left, node.left],
        [right, node.right],
      ] as const) {
        if (t === 'STR' || t === 'STR[]') return fail(`"${node.op}" does not apply to ${describe[t]}`, side.at);
      }
      const arithmetic = ['+', '-', '*', '/', '^'].includes(node.op);
      if (left === 'TS[]' || right === 'TS[]') {
        // CloudWatch applies arithmetic between an array and a number or one series, point by point.
        if (!arithmetic) return fail(`"${node.op}" compares two series or numbers, not an array of series`);
        if (left === 'TS[]' && right === 'TS[]') return fail(`"${node.op}" does not apply to two arrays of series`);
        return 'TS[]';
      }
      return left === 'S' && right === 'S' ? 'S' : 'TS';
    }
    case 'call':
      return callYield(node, text);
  }
}

function callYield(node: ExpressionNode & { kind: 'call' }, text: string): ValueType {
  const { name } = node;
  if (!isMetricMathFunction(name)) {
    const close = closestName(name, Object.keys(METRIC_MATH_FUNCTIONS));
    throw new ExpressionError(
      `unknown function ${name}()${close ? ` (did you mean ${close}?)` : ''}; see the CloudWatch metric-math functions`,
      text,
      node.at,
    );
  }
  const fn = METRIC_MATH_FUNCTIONS[name]!;
  if (fn.refused) throw new ExpressionError(fn.refused, text, node.at);
  if (name === 'PERIOD' && node.args.length === 1 && node.args[0]!.kind !== 'ref') {
    throw new ExpressionError('PERIOD() takes a probe id, e.g. PERIOD(requests)', text, node.args[0]!.at);
  }
  const args = node.args.map((arg) => yieldOf(arg, text));
  const forms = formsOf(name);
  for (const form of forms) if (accepts(form, args)) return form.returns;
  // Point at the first argument no form accepts in that place, else at the call (wrong number of arguments).
  const counts = forms.map((f) => arityOf(f));
  const arityFits = counts.some(([min, max]) => args.length >= min && args.length <= max);
  if (!arityFits) {
    throw new ExpressionError(`${name}() takes ${arityText(counts)}; ${usage(name)}`, text, node.at);
  }
  const bad = args.findIndex((arg, i) => !forms.some((f) => fits(paramAt(f, i), arg)));
  const at = bad >= 0 ? node.args[bad]!.at : node.at;
  const got = args.map(describeYield).join(', ');
  throw new ExpressionError(`${name}() does not take (${got}); ${usage(name)}`, text, at);
}

/** The parameter that takes argument `i` of `form`, if any. */
function paramAt(form: Form, i: number): Form['params'][number] | undefined {
  return form.params[i] ?? (form.variadic ? form.params.at(-1) : undefined);
}

function fits(param: Form['params'][number] | undefined, arg: Yield): boolean {
  if (!param) return false;
  return typeof arg === 'string' ? param.types.includes(arg) : param.keywords.includes(arg.keyword);
}

/** Whether `form` takes `args`: their number and each in its place. */
function accepts(form: Form, args: readonly Yield[]): boolean {
  const [min, max] = arityOf(form);
  return args.length >= min && args.length <= max && args.every((arg, i) => fits(paramAt(form, i), arg));
}

function arityOf(form: Form): [number, number] {
  const required = form.params.filter((p) => !p.optional).length;
  return [required, form.variadic ? Number.POSITIVE_INFINITY : form.params.length];
}

function arityText(counts: Array<[number, number]>): string {
  const all = new Set<number>();
  for (const [min, max] of counts) for (let n = min; n <= Math.min(max, min + 4); n++) all.add(n);
  const sorted = [...all].sort((a, b) => a - b);
  const words = sorted.map(String);
  const text = words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
  return `${text} argument${sorted.length === 1 && sorted[0] === 1 ? '' : 's'}`;
}

/** `FILL(series, number | REPEAT | LINEAR)`: the documented forms, in words. */
export function usage(name: string): string {
  const words: Record<string, string> = {
    S: 'number',
    TS: 'series',
    'TS[]': '[series, …]',
    STR: "'string'",
    'STR[]': "['string', …]",
  };
  const forms = formsOf(name).map((form) => {
    const params = form.params.map((p) => {
      const alternatives = [...p.types.map((t) => words[t]!), ...p.keywords].join(' | ');
      return p.optional ? `[${alternatives}]` : alternatives;
    });
    return `${name}(${params.join(', ')}${form.variadic ? ', …' : ''})`;
  });
  return `use ${forms.join(' or ')}`;
}

/**
 * Checks a probe's expression: parses it, checks every function and operator, and that the result is one time
 * series. Returns the AST; throws ExpressionError naming the column and the fix.
 */
export function checkExpression(text: string): ExpressionNode {
  const ast = parseExpression(text);
  const result = typeOf(ast, text);
  if (result === 'S') {
    throw new ExpressionError(
      'the expression yields one number, not a time series (a probe is a series): combine it with a series, e.g. x - AVG(x), or wrap it in TIME_SERIES(…)',
      text,
      0,
    );
  }
  if (result === 'TS[]') {
    throw new ExpressionError(
      'the expression yields several time series and a probe is one: reduce them, e.g. SUM([a, b]) or FIRST(…)',
      text,
      0,
    );
  }
  if (result !== 'TS')
    throw new ExpressionError(`the expression yields ${describe[result]}, not a time series`, text, 0);
  return ast;
}
