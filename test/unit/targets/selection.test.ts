import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidSelectionModeError,
  parseSelectionMode,
  selectedCount,
  selectTargets,
} from '../../../core/targets/selection.js';

/** A small deterministic generator (mulberry32) so random picks are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mode = fc.oneof(
  fc.constant('ALL'),
  fc.integer({ min: 1, max: 50 }).map((n) => `COUNT(${n})`),
  fc.integer({ min: 1, max: 100 }).map((p) => `PERCENT(${p})`),
  fc.integer({ min: 1, max: 999 }).map((p) => `PERCENT(${p / 10})`),
);

describe('parseSelectionMode', () => {
  it('reads ALL, COUNT(n) and PERCENT(p)', () => {
    expect(parseSelectionMode('ALL')).toEqual({ kind: 'ALL' });
    expect(parseSelectionMode('COUNT(2)')).toEqual({ kind: 'COUNT', count: 2 });
    expect(parseSelectionMode('PERCENT(12.5)')).toEqual({ kind: 'PERCENT', percent: 12.5 });
  });

  it('rejects malformed modes, COUNT(0) and percentages outside (0,100]', () => {
    for (const bad of ['all', 'COUNT()', 'COUNT(0)', 'PERCENT(0)', 'PERCENT(101)', 'SOME(1)']) {
      expect(() => parseSelectionMode(bad)).toThrow(InvalidSelectionModeError);
    }
    expect(() => parseSelectionMode('COUNT(0)')).toThrow(
      expect.objectContaining({ name: 'Shaketable.InvalidSelectionMode' }),
    );
  });
});

describe('selectedCount', () => {
  it('takes the whole pool with ALL', () => {
    expect(selectedCount('ALL', 7)).toBe(7);
  });

  it('takes n, or the whole pool when it is smaller, with COUNT(n)', () => {
    expect(selectedCount('COUNT(2)', 7)).toBe(2);
    expect(selectedCount('COUNT(5)', 3)).toBe(3);
  });

  it('takes p percent rounded up with PERCENT(p)', () => {
    expect(selectedCount('PERCENT(25)', 8)).toBe(2);
    expect(selectedCount('PERCENT(50)', 3)).toBe(2);
    expect(selectedCount('PERCENT(10)', 3)).toBe(1);
    expect(selectedCount('PERCENT(100)', 3)).toBe(3);
    // 7 % of 100 is exactly 7, even though 0.07 * 100 is 7.000000000000001 in floating point.
    expect(selectedCount('PERCENT(7)', 100)).toBe(7);
    expect(selectedCount('PERCENT(14)', 50)).toBe(7);
  });

  it('selects nothing from an empty pool', () => {
    expect(selectedCount('ALL', 0)).toBe(0);
    expect(selectedCount('COUNT(1)', 0)).toBe(0);
    expect(selectedCount('PERCENT(50)', 0)).toBe(0);
  });

  it('never selects more than the pool and at least one from a non-empty pool', () => {
    fc.assert(
      fc.property(mode, fc.integer({ min: 0, max: 10_000 }), (m, size) => {
        const n = selectedCount(m, size);
        return n <= size && n >= 0 && Number.isInteger(n) && (size === 0 || n >= 1);
      }),
    );
  });

  it('never selects fewer when the pool grows', () => {
    fc.assert(
      fc.property(mode, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 100 }), (m, size, more) => {
        return selectedCount(m, size) <= selectedCount(m, size + more);
      }),
    );
  });

  it('never selects fewer when the percentage grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), fc.nat(5000), (a, b, size) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return selectedCount(`PERCENT(${lo})`, size) <= selectedCount(`PERCENT(${hi})`, size);
      }),
    );
  });
});

describe('selectTargets', () => {
  it('picks the selected count of distinct resources from the pool', () => {
    fc.assert(
      fc.property(mode, fc.uniqueArray(fc.string(), { maxLength: 60 }), fc.integer(), (m, pool, seed) => {
        const picked = selectTargets(m, pool, seeded(seed));
        return (
          picked.length === selectedCount(m, pool.length) &&
          new Set(picked).size === picked.length &&
          picked.every((p) => pool.includes(p))
        );
      }),
    );
  });

  it('does not change the pool it picks from', () => {
    const pool = ['a', 'b', 'c', 'd'];
    selectTargets('COUNT(2)', pool, seeded(1));
    expect(pool).toEqual(['a', 'b', 'c', 'd']);
  });

  it('can pick every resource of the pool', () => {
    const pool = ['a', 'b', 'c'];
    const seen = new Set<string>();
    const random = seeded(42);
    for (let i = 0; i < 200; i++) for (const p of selectTargets('COUNT(1)', pool, random)) seen.add(p);
    expect([...seen].sort()).toEqual(pool);
  });
});
