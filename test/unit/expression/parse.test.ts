import { describe, expect, it } from 'vitest';
import { ExpressionError, parseExpression, referencedIds } from '../../../core/expression/parse.js';

describe('parseExpression', () => {
  it('gives * and / precedence over + and -, left to right', () => {
    expect(parseExpression('a - b / 2 * c')).toEqual({
      kind: 'binary',
      op: '-',
      left: { kind: 'ref', id: 'a' },
      right: {
        kind: 'binary',
        op: '*',
        left: { kind: 'binary', op: '/', left: { kind: 'ref', id: 'b' }, right: { kind: 'number', value: 2 } },
        right: { kind: 'ref', id: 'c' },
      },
    });
  });

  it('honours parentheses and unary minus', () => {
    expect(parseExpression('-(a + 1.5e2)')).toEqual({
      kind: 'negate',
      operand: { kind: 'binary', op: '+', left: { kind: 'ref', id: 'a' }, right: { kind: 'number', value: 150 } },
    });
  });

  it('refuses functions outside the subset, naming the column', () => {
    expect(() => parseExpression('100 * FILL(errors, 0)')).toThrow(/FILL\(\) is not in the supported subset.*column 7/);
  });

  it('refuses ids that are not probe ids', () => {
    expect(() => parseExpression('Errors / requests')).toThrow(ExpressionError);
  });

  it('refuses unbalanced parentheses, dangling operators and empty text', () => {
    expect(() => parseExpression('(a + b')).toThrow(/missing "\)"/);
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
