// The CloudWatch metric-math grammar, parsed once into an AST that validation, the alarm compiler and the
// sandbox evaluator all read: numbers, 'strings', probe ids (lower case first), FUNCTION(args) and bare
// KEYWORDS (upper case), [arrays], unary minus, ^ * / + -, comparisons (== != < <= > >=) and AND/&&, OR/||.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
import { PROBE_ID } from '../experiment/patterns.js';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '^';
export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type LogicalOp = 'AND' | 'OR';
export type BinaryOp = ArithmeticOp | ComparisonOp | LogicalOp;

/** A node of the AST; `at` is the 0-based offset in the expression text where it starts (a binary: its left operand). */
export type ExpressionNode =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'ref'; id: string; at: number }
  | { kind: 'keyword'; name: string; at: number }
  | { kind: 'array'; items: ExpressionNode[]; at: number }
  | { kind: 'negate'; operand: ExpressionNode; at: number }
  | { kind: 'binary'; op: BinaryOp; left: ExpressionNode; right: ExpressionNode; at: number }
  | { kind: 'call'; name: string; args: ExpressionNode[]; at: number };

/** A metric-math expression that does not parse or check; `position` is the 0-based offset of the problem. */
export class ExpressionError extends Error {
  override readonly name = 'Shaketable.InvalidExpression';
  constructor(
    /** the problem alone, without the position (what validation shows beside the field) */
    readonly reason: string,
    readonly expression: string,
    readonly position: number,
  ) {
    super(`${reason} at column ${position + 1} of "${expression}"`);
  }
}

type Punctuation = '(' | ')' | '[' | ']' | ',';
type Token =
  | { type: 'number'; value: number; at: number; text: string }
  | { type: 'string'; value: string; at: number; text: string }
  | { type: 'name'; name: string; at: number; text: string }
  | { type: 'op'; op: BinaryOp | Punctuation; at: number; text: string };

const NUMBER = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const STRING = /^('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/;
/** Longest first, so `<=` is not read as `<` then `=`. */
const OPERATORS: ReadonlyArray<[string, BinaryOp | Punctuation]> = [
  ['==', '=='],
  ['!=', '!='],
  ['<=', '<='],
  ['>=', '>='],
  ['&&', 'AND'],
  ['||', 'OR'],
  ['<', '<'],
  ['>', '>'],
  ['+', '+'],
  ['-', '-'],
  ['*', '*'],
  ['/', '/'],
  ['^', '^'],
  ['(', '('],
  [')', ')'],
  ['[', '['],
  [']', ']'],
  [',', ','],
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const operator = OPERATORS.find(([symbol]) => rest.startsWith(symbol));
    if (operator) {
      tokens.push({ type: 'op', op: operator[1], at: i, text: operator[0] });
      i += operator[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ type: 'number', value: Number(num[0]), at: i, text: num[0] });
      i += num[0].length;
      continue;
    }
    const str = STRING.exec(rest);
    if (str) {
      tokens.push({ type: 'string', value: str[0].slice(1, -1).replace(/\\(.)/g, '$1'), at: i, text: str[0] });
      i += str[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      const word = name[0];
      if (word === 'AND' || word === 'OR') tokens.push({ type: 'op', op: word, at: i, text: word });
      else tokens.push({ type: 'name', name: word, at: i, text: word });
      i += word.length;
      continue;
    }
    if (rest[0] === "'" || rest[0] === '"') throw new ExpressionError('string is not closed', text, i);
    throw new ExpressionError(`unexpected character "${rest[0]}"`, text, i);
  }
  return tokens;
}

const COMPARISONS = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);

/** Parses `text` into an AST; throws ExpressionError naming the column of the first problem. */
export function parseExpression(text: string): ExpressionNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const where = (): number => peek()?.at ?? text.length;
  const isOp = (t: Token | undefined, ...ops: string[]): t is Token & { type: 'op' } =>
    t?.type === 'op' && ops.includes(t.op);
  const expect = (op: Punctuation, what: string): void => {
    if (!isOp(peek(), op)) throw new ExpressionError(`missing "${op}" ${what}`, text, where());
    pos++;
  };

  // Precedence, loosest first: OR, AND, comparison, + -, * /, unary -, ^ (right-associative), primary.
  function binaryLevel(next: () => ExpressionNode, ops: readonly string[]): () => ExpressionNode {
    return () => {
      let left = next();
      for (let t = peek(); isOp(t, ...ops); t = peek()) {
        pos++;
        left = { kind: 'binary', op: t.op as BinaryOp, left, right: next(), at: left.at };
      }
      return left;
    };
  }
  function unary(): ExpressionNode {
    const t = peek();
    if (isOp(t, '-')) {
      pos++;
      return { kind: 'negate', operand: unary(), at: t.at };
    }
    if (isOp(t, '+')) {
      pos++;
      return unary();
    }
    return power();
  }
  function power(): ExpressionNode {
    const base = primary();
    const t = peek();
    if (!isOp(t, '^')) return base;
    pos++;
    return { kind: 'binary', op: '^', left: base, right: unary(), at: base.at };
  }
  const product = binaryLevel(unary, ['*', '/']);
  const sum = binaryLevel(product, ['+', '-']);
  const comparison = binaryLevel(sum, [...COMPARISONS]);
  const conjunction = binaryLevel(comparison, ['AND']);
  const disjunction = binaryLevel(conjunction, ['OR']);

  function list(close: ')' | ']', what: string): ExpressionNode[] {
    const items: ExpressionNode[] = [];
    if (isOp(peek(), close)) {
      pos++;
      return items;
    }
    for (;;) {
      items.push(disjunction());
      if (isOp(peek(), ',')) {
        pos++;
        continue;
      }
      expect(close, what);
      return items;
    }
  }

  function primary(): ExpressionNode {
    const t = peek();
    if (!t) throw new ExpressionError('expression ends too early', text, text.length);
    pos++;
    if (t.type === 'number') return { kind: 'number', value: t.value, at: t.at };
    if (t.type === 'string') return { kind: 'string', value: t.value, at: t.at };
    if (t.type === 'name') {
      const called = isOp(peek(), '(');
      if (called) {
        if (!/^[A-Z][A-Z0-9_]*$/.test(t.name)) {
          throw new ExpressionError(
            `functions are written in upper case: ${t.name.toUpperCase()}(…), not ${t.name}(…)`,
            text,
            t.at,
          );
        }
        pos++;
        return { kind: 'call', name: t.name, args: list(')', `to close ${t.name}(`), at: t.at };
      }
      if (/^[A-Z][A-Z0-9_]*$/.test(t.name)) return { kind: 'keyword', name: t.name, at: t.at };
      if (!PROBE_ID.test(t.name)) {
        throw new ExpressionError(
          `"${t.name}" is not a probe id (ids start with a lower-case letter, functions are upper case)`,
          text,
          t.at,
        );
      }
      return { kind: 'ref', id: t.name, at: t.at };
    }
    if (t.op === '(') {
      const inner = disjunction();
      expect(')', 'to close "("');
      return inner;
    }
    if (t.op === '[') return { kind: 'array', items: list(']', 'to close "["'), at: t.at };
    throw new ExpressionError(`unexpected "${t.text}"`, text, t.at);
  }

  if (tokens.length === 0) throw new ExpressionError('expression is empty', text, 0);
  const ast = disjunction();
  if (pos < tokens.length) throw new ExpressionError('unexpected text after the expression', text, where());
  return ast;
}

/** The children of a node, in order. */
export function childrenOf(node: ExpressionNode): ExpressionNode[] {
  switch (node.kind) {
    case 'array':
      return node.items;
    case 'call':
      return node.args;
    case 'negate':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    default:
      return [];
  }
}

/** Every node of the tree, parents before children, left to right. */
export function walk(node: ExpressionNode): ExpressionNode[] {
  return [node, ...childrenOf(node).flatMap(walk)];
}

/** The probe ids an AST reads, in order of first appearance. */
export function idsOf(node: ExpressionNode): string[] {
  const ids: string[] = [];
  for (const n of walk(node)) if (n.kind === 'ref' && !ids.includes(n.id)) ids.push(n.id);
  return ids;
}

/** The probe ids an expression reads, in order of first appearance (throws ExpressionError if it does not parse). */
export function referencedIds(text: string): string[] {
  return idsOf(parseExpression(text));
}

/** The functions an AST calls (those `which` selects), each once, with the offset of its first call. */
export function callsOf(
  node: ExpressionNode,
  which: (name: string) => boolean = () => true,
): Array<{ name: string; at: number }> {
  const calls: Array<{ name: string; at: number }> = [];
  for (const n of walk(node)) {
    if (n.kind === 'call' && which(n.name) && !calls.some((c) => c.name === n.name))
      calls.push({ name: n.name, at: n.at });
  }
  return calls;
}
