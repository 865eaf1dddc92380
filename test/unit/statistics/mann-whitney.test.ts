import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageRanks, exactUCounts, mannWhitneyU } from '../../../core/statistics/mann-whitney.js';
import { normalCdf } from '../../../core/statistics/normal.js';

// Hollander & Wolfe (1973), p. 69f, as reproduced in the examples of R's ?wilcox.test:
// permeability constants at term (x) and at 12-26 weeks (y); wilcox.test(x, y, alternative = "g")
// prints "W = 35, p-value = 0.1272". The exact value is 382/3003 (counted below by enumeration).
const termX = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const earlyY = [1.15, 0.88, 0.9, 0.74, 1.21];

// R's ?wilcox.test: wilcox.test(Ozone ~ Month, data = airquality, subset = Month %in% c(5, 8))
// prints "W = 127.5, p-value = 0.0001208" (ties: normal approximation with continuity correction).
// Ozone of May and August 1973, NA removed, from R's airquality data set.
const ozoneMay = [41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11, 4, 32, 23, 45, 115, 37];
const ozoneAug = [
  39, 9, 16, 78, 35, 66, 122, 89, 110, 44, 28, 65, 22, 59, 23, 31, 44, 21, 9, 45, 168, 73, 76, 118, 84, 85,
];

// SciPy's scipy.stats.mannwhitneyu documentation example (ages of males and females):
// U1 = 17, exact p = 0.1111111111111111; method="asymptotic" gives p = 0.11134688653314041.
const males = [19, 22, 16, 29, 24];
const females = [20, 11, 17, 12];

function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('mannWhitneyU against published examples', () => {
  it('matches R for the Hollander & Wolfe permeability data, exact and one-sided (W = 35, p = 382/3003)', () => {
    // Independent check of the exact tail: enumerate every choice of 10 ranks out of 15.
    let atLeast35 = 0;
    let total = 0;
    const visit = (start: number, chosen: number[]) => {
      if (chosen.length === 10) {
        total++;
        const u = chosen.reduce((s, r) => s + r, 0) - 55;
        if (u >= 35) atLeast35++;
        return;
      }
      for (let r = start; r <= 15; r++) visit(r + 1, [...chosen, r]);
    };
    visit(1, []);
    expect([atLeast35, total]).toEqual([382, 3003]);

    const r = mannWhitneyU(termX, earlyY, { alternative: 'greater' });
    expect(r.u).toBe(35);
    expect(r.method).toBe('exact');
    expect(r.pValue).toBeCloseTo(382 / 3003, 12);
    expect(Math.abs(r.pValue - 0.1272)).toBeLessThan(5e-5);
    expect(mannWhitneyU(termX, earlyY).pValue).toBeCloseTo(764 / 3003, 12);
  });

  it('matches R for the airquality Ozone May vs August data with ties (W = 127.5, p = 0.0001208)', () => {
    const r = mannWhitneyU(ozoneMay, ozoneAug);
    expect(r.u).toBe(127.5);
    expect(r.method).toBe('normal');
    expect(Math.abs(r.pValue - 0.0001208)).toBeLessThan(1e-6);
    expect(Math.abs(r.pValue - 0.00012080783076877434)).toBeLessThan(1e-12);
    expect(r.direction).toBe('lower');
  });

  it('matches SciPy documentation for the exact and asymptotic p-values (to 1e-6)', () => {
    const exact = mannWhitneyU(males, females);
    expect(exact.u).toBe(17);
    expect(Math.abs(exact.pValue - 0.1111111111111111)).toBeLessThan(1e-12);
    const normal = mannWhitneyU(males, females, { exact: false });
    expect(Math.abs(normal.pValue - 0.11134688653314041)).toBeLessThan(1e-6);
  });

  it('gives the rank-biserial effect size 2U/(n1 n2) − 1 and its direction', () => {
    const r = mannWhitneyU(males, females);
    expect(r.rankBiserial).toBeCloseTo((2 * 17) / 20 - 1, 12);
    expect(r.direction).toBe('higher');
    expect(mannWhitneyU([1, 2], [1, 2]).direction).toBe('none');
  });

  it('gives p = 1 when every value is tied', () => {
    expect(mannWhitneyU([0, 0, 0], [0, 0, 0, 0])).toMatchObject({ pValue: 1, direction: 'none', method: 'normal' });
  });

  it('refuses empty or non-finite samples', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(/non-empty/);
    expect(() => mannWhitneyU([Number.NaN], [1])).toThrow(/finite/);
  });
});

describe('normalCdf', () => {
  it('matches published values of the standard normal distribution to 1e-12', () => {
    // Abramowitz & Stegun, Table 26.1: Φ(1) = 0.841344746068543, Φ(1.96) = 0.975002104851780, Φ(3) = 0.998650101968370
    expect(Math.abs(normalCdf(1) - 0.841344746068543)).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(1.96) - 0.97500210485178)).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(-3) - (1 - 0.99865010196837))).toBeLessThan(1e-12);
  });
});

describe('exact distribution and symmetry properties', () => {
  it('counts C(n1+n2, n1) arrangements in all', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), (n1, n2) => {
        const total = exactUCounts(n1, n2).reduce((a, b) => a + b, 0n);
        expect(Number(total)).toBeCloseTo(choose(n1 + n2, n1), 0);
      }),
    );
  });

  it('gives the same two-sided p for x vs y and y vs x, with U values summing to n1·n2', () => {
    const sample = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 25 });
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const a = mannWhitneyU(x, y);
        const b = mannWhitneyU(y, x);
        expect(a.u + b.u).toBe(x.length * y.length);
        expect(a.pValue).toBeCloseTo(b.pValue, 12);
        expect(a.pValue).toBeGreaterThan(0);
        expect(a.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives average ranks to ties', () => {
    expect(averageRanks([3, 1, 3, 2])).toEqual({ ranks: [3.5, 1, 3.5, 2], ties: [2] });
  });
});
