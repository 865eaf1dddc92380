import { describe, expect, it } from 'vitest';
import { ExpressionError, parseExpression, referencedIds } from '../../../core/expression/parse.js';

describe('parseExpression', () => {
  it('gives * and / precedence over + and -, left to right', () => {
    expect(parseExpression('a - b / 2 * c')).toEqual({
      kind: 'binary',
      op: '-',
      at: 0,
      left: { kind: 'ref', id: 'a', at: 0 },
      right: {
        kind: 'binary',
        op: '*',
        at: 4,
        left: {
          kind: 'binary',
          op: '/',
          at: 4,
          left: { kind: 'ref', id: 'b', at: 4 },
          right: { kind: 'number', value: 2, at: 8 },
        },
        right: { kind: 'ref', id: 'c', at: 12 },
      },
    });
  });

  it('honours parentheses and unary minus', () => {
    expect(parseExpression('-(a + 1.5e2)')).toEqual({
      kind: 'negate',
      at: 0,
      operand: {
        kind: 'binary',
        op: '+',
        at: 2,
        left: { kind: 'ref', id: 'a', at: 2 },
        right: { kind: 'number', value: 150, at: 6 },
      },
    });
  });

  it('reads functions, keywords, strings and arrays', () => {
    expect(parseExpression("FILL(m, REPEAT) + SUM([a, b]) + SEARCH('x y', 'Sum', 60)")).toMatchObject({
      kind: 'binary',
      left: {
        left: { kind: 'call', name: 'FILL', args: [{ kind: 'ref' }, { kind: 'keyword', name: 'REPEAT' }] },
        right: { kind: 'call', name: 'SUM', args: [{ kind: 'array', items: [{ id: 'a' }, { id: 'b' }] }] },
      },
      right: { kind: 'call', name: 'SEARCH', args: [{ value: 'x y' }, { value: 'Sum' }, { value: 60 }] },
    });
  });

  it('binds comparison looser than arithmetic, AND looser than comparison, OR loosest; ^ is right-associative', () => {
    expect(parseExpression('a > 1 + 2 AND b < 3 || c == 4')).toMatchObject({
      op: 'OR',
      left: { op: 'AND', left: { op: '>', right: { op: '+' } }, right: { op: '<' } },
      right: { op: '==' },
    });
    expect(parseExpression('2 ^ 3 ^ 2')).toMatchObject({ op: '^', left: { value: 2 }, right: { op: '^' } });
    expect(parseExpression('-a ^ 2')).toMatchObject({ kind: 'negate', operand: { op: '^' } });
  });

  it('refuses a function written in lower case, naming the fix and the column', () => {
    expect(() => parseExpression('100 * fill(errors, 0)')).toThrow(/upper case: FILL\(…\).*column 7/);
  });

  it('refuses ids that are not probe ids', () => {
    expect(() => parseExpression('Errors / requests')).toThrow(ExpressionError);
  });

  it('refuses unbalanced parentheses, dangling operators and empty text', () => {
    expect(() => parseExpression('(a + b')).toThrow(/missing "\)"/);
    expect(() => parseExpression('SUM([a, b)')).toThrow(/missing "\]"/);
    expect(() => parseExpression('a +')).toThrow(/ends too early/);
    expect(() => parseExpression('a b')).toThrow(/unexpected text after the expression/);
    expect(() => parseExpression('  ')).toThrow(/empty/);
    expect(() => parseExpression('a % b')).toThrow(/unexpected character "%"/);
  });

  it('throws errors with the stable name Shaketable.InvalidExpression', () => {
    try {
      parseExpression('a +* b');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).name).toBe('Shaketable.InvalidExpression');
    }
  });
});

describe('referencedIds', () => {
  it('lists each probe id once, in order of first appearance', () => {
    expect(referencedIds('100 * errors / (requests + errors)')).toEqual(['errors', 'requests']);
  });
});
