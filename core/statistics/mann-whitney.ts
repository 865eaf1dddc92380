// Mann-Whitney U (Wilcoxon rank-sum) test, computed as R's wilcox.test does: exact distribution for
// small samples without ties, otherwise the normal approximation with tie and continuity corrections.
import { normalCdf, normalSurvival } from './normal.js';

export type Alternative = 'two-sided' | 'greater' | 'less';

export interface MannWhitneyOptions {
  /** 'greater': x tends to be larger than y. Default two-sided. */
  alternative?: Alternative;
  /** 'auto' (default) uses the exact distribution when both samples are below 50 and there are no ties. */
  exact?: boolean | 'auto';
  /** Continuity correction of the normal approximation (default true, as in R). */
  continuity?: boolean;
}

export interface MannWhitneyResult {
  n1: number;
  n2: number;
  /** U for x: pairs with x > y plus half the ties (R's W statistic). */
  u: number;
  /** the normal deviate, when the normal approximation was used */
  z?: number;
  pValue: number;
  method: 'exact' | 'normal';
  /** rank-biserial correlation 2U/(n1·n2) − 1 in [−1, 1]: positive when x tends to exceed y */
  rankBiserial: number;
  /** where x sits relative to y */
  direction: 'higher' | 'lower' | 'none';
}

/** Raised when a sample is empty or holds a non-finite value: the test cannot be computed. */
export class StatisticsInputError extends Error {
  override readonly name = 'Shaketable.StatisticsInput';
}

/** Average ranks (1-based) of `values`, and the tie-group sizes. */
export function averageRanks(values: readonly number[]): { ranks: number[]; ties: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  const ties: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = rank;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

/**
 * Counts of arrangements giving U = 0…n1·n2 when there are no ties: the coefficients of the Gaussian
 * binomial [n1+n2 choose n1]_q = Π_{i=1..n1} (1 − q^(n2+i)) / (1 − q^i), in BigInt so nothing rounds.
 */
export function exactUCounts(n1: number, n2: number): bigint[] {
  const size = n1 * n2 + 1;
  const c = new Array<bigint>(size).fill(0n);
  c[0] = 1n;
  for (let i = 1; i <= n1; i++) {
    const a = n2 + i;
    for (let k = size - 1; k >= a; k--) c[k] = c[k]! - c[k - a]!;
    for (let k = i; k < size; k++) c[k] = c[k]! + c[k - i]!;
  }
  return c;
}

function exactP(u: number, n1: number, n2: number, alternative: Alternative): number {
  const counts = exactUCounts(n1, n2);
  const total = counts.reduce((a, b) => a + b, 0n);
  // U is an integer without ties; P(U ≤ k) and P(U ≥ k) from the counts.
  const atMost = (k: number): number => {
    let s = 0n;
    for (let i = 0; i <= k && i < counts.length; i++) s += counts[i]!;
    return Number(s) / Number(total);
  };
  const atLeast = (k: number): number => {
    let s = 0n;
    for (let i = Math.max(0, k); i < counts.length; i++) s += counts[i]!;
    return Number(s) / Number(total);
  };
  if (alternative === 'greater') return atLeast(u);
  if (alternative === 'less') return atMost(u);
  const p = u > (n1 * n2) / 2 ? atLeast(u) : atMost(u);
  return Math.min(1, 2 * p);
}

/** The test of x against y. Throws StatisticsInputError on an empty sample or a non-finite value. */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const alternative = options.alternative ?? 'two-sided';
  const continuity = options.continuity ?? true;
  if (x.length === 0 || y.length === 0) {
    throw new StatisticsInputError(`Mann-Whitney needs two non-empty samples (got ${x.length} and ${y.length})`);
  }
  if (![...x, ...y].every(Number.isFinite)) throw new StatisticsInputError('Mann-Whitney samples must be finite');
  const n1 = x.length;
  const n2 = y.length;
  const { ranks, ties } = averageRanks([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const rankBiserial = (2 * u) / (n1 * n2) - 1;
  const direction = u > (n1 * n2) / 2 ? 'higher' : u < (n1 * n2) / 2 ? 'lower' : 'none';
  const base = { n1, n2, u, rankBiserial, direction } as const;

  const useExact =
    options.exact === 'auto' || options.exact === undefined ? n1 < 50 && n2 < 50 && ties.length === 0 : options.exact;
  if (useExact) {
    if (ties.length > 0) throw new StatisticsInputError('the exact Mann-Whitney distribution assumes no ties');
    return { ...base, pValue: exactP(u, n1, n2, alternative), method: 'exact' };
  }

  const n = n1 + n2;
  const tieTerm = ties.reduce((s, t) => s + t ** 3 - t, 0) / (n * (n - 1));
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm));
  const centred = u - (n1 * n2) / 2;
  // Every value tied: no evidence of a shift either way.
  if (sigma === 0) return { ...base, z: 0, pValue: 1, method: 'normal' };
  const correction = !continuity
    ? 0
    : alternative === 'two-sided'
      ? Math.sign(centred) * 0.5
      : alternative === 'greater'
        ? 0.5
        : -0.5;
  const z = (centred - correction) / sigma;
  const pValue =
    alternative === 'greater'
      ? normalSurvival(z)
      : alternative === 'less'
        ? normalCdf(z)
        : Math.min(1, 2 * Math.min(normalCdf(z), normalSurvival(z)));
  return { ...base, z, pValue, method: 'normal' };
}
