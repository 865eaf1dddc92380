// Parser for the CloudWatch metric-math subset shaketable evaluates itself in the sandbox:
// + - * /, unary minus, parentheses, numbers and probe ids (the same text CloudWatch evaluates in AWS).
import { PROBE_ID } from '../experiment/patterns.js';

export type ExpressionNode =
  | { kind: 'number'; value: number }
  | { kind: 'ref'; id: string }
  | { kind: 'negate'; operand: ExpressionNode }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: ExpressionNode; right: ExpressionNode };

/** A metric-math expression outside the supported subset; `position` is the 0-based offset of the problem. */
export class ExpressionError extends Error {
  override readonly name = 'Shaketable.InvalidExpression';
  constructor(
    message: string,
    readonly expression: string,
    readonly position: number,
  ) {
    super(`${message} at column ${position + 1} of "${expression}"`);
  }
}

type Token =
  | { type: 'number'; value: number; at: number }
  | { type: 'id'; id: string; at: number }
  | { type: 'op'; op: '+' | '-' | '*' | '/' | '(' | ')'; at: number };

const NUMBER = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ('+-*/()'.includes(ch)) {
      tokens.push({ type: 'op', op: ch as '+', at: i });
      i++;
      continue;
    }
    const rest = text.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ type: 'number', value: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      if (rest[id[0].length] === '(') {
        throw new ExpressionError(
          `function ${id[0]}() is not in the supported subset (+ - * / and parentheses)`,
          text,
          i,
        );
      }
      if (!PROBE_ID.test(id[0])) {
        throw new ExpressionError(`"${id[0]}" is not a probe id (ids start with a lower-case letter)`, text, i);
      }
      tokens.push({ type: 'id', id: id[0], at: i });
      i += id[0].length;
      continue;
    }
    throw new ExpressionError(`unexpected character "${ch}"`, text, i);
  }
  return tokens;
}

/** Parses `text` into an AST; throws ExpressionError naming the column of the first problem. */
export function parseExpression(text: string): ExpressionNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const where = (): number => peek()?.at ?? text.length;

  // Precedence climbing: sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*
  function sum(): ExpressionNode {
    let left = product();
    for (let t = peek(); t?.type === 'op' && (t.op === '+' || t.op === '-'); t = peek()) {
      pos++;
      left = { kind: 'binary', op: t.op, left, right: product() };
    }
    return left;
  }
  function product(): ExpressionNode {
    let left = unary();
    for (let t = peek(); t?.type === 'op' && (t.op === '*' || t.op === '/'); t = peek()) {
      pos++;
      left = { kind: 'binary', op: t.op, left, right: unary() };
    }
    return left;
  }
  function unary(): ExpressionNode {
    const t = peek();
    if (t?.type === 'op' && t.op === '-') {
      pos++;
      return { kind: 'negate', operand: unary() };
    }
    if (t?.type === 'op' && t.op === '+') {
      pos++;
      return unary();
    }
    return primary();
  }
  function primary(): ExpressionNode {
    const t = peek();
    if (!t) throw new ExpressionError('expression ends too early', text, text.length);
    pos++;
    if (t.type === 'number') return { kind: 'number', value: t.value };
    if (t.type === 'id') return { kind: 'ref', id: t.id };
    if (t.op === '(') {
      const inner = sum();
      const close = peek();
      if (close?.type !== 'op' || close.op !== ')') throw new ExpressionError('missing ")"', text, where());
      pos++;
      return inner;
    }
    throw new ExpressionError(`unexpected "${t.op}"`, text, t.at);
  }

  if (tokens.length === 0) throw new ExpressionError('expression is empty', text, 0);
  const ast = sum();
  if (pos < tokens.length) throw new ExpressionError('unexpected text after the expression', text, where());
  return ast;
}

/** The probe ids an expression reads, in order of first appearance. */
export function referencedIds(text: string): string[] {
  const ids: string[] = [];
  const visit = (node: ExpressionNode): void => {
    if (node.kind === 'ref') {
      if (!ids.includes(node.id)) ids.push(node.id);
    } else if (node.kind === 'negate') visit(node.operand);
    else if (node.kind === 'binary') {
      visit(node.left);
      visit(node.right);
    }
  };
  visit(parseExpression(text));
  return ids;
}
