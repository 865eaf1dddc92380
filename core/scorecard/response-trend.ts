// Time-to-detect and time-to-recover per experiment over the scorecard's window (DESIGN §9): the median of the last runs
// against the median of the runs before them, so a team sees whether its monitoring and its system get faster or slower.
import type { Result } from '../result/model.js';

/** How many runs the recent median (and the one it is compared with) is taken over. */
export const TREND_RUNS = 5;
/** A recent median within this fraction of the previous one is steady, not faster or slower. */
export const TREND_STEADY = 0.1;

export type TrendDirection = 'faster' | 'slower' | 'steady';

export interface ResponseTrend {
  /** seconds, oldest run first: one per run in the window that measured it */
  samples: number[];
  /** median of the last TREND_RUNS samples */
  recent: number;
  /** median of up to TREND_RUNS samples before those; absent when every sample is recent */
  previous?: number;
  direction?: TrendDirection;
}

export interface ExperimentResponse {
  ttd?: ResponseTrend;
  ttr?: ResponseTrend;
  /** runs of an experiment that expects detection whose fault nothing detected (ttdSeconds null) */
  undetected: number;
}

/** The trend of a series of response times, oldest first; undefined when there is none. */
export function responseTrend(samples: readonly number[]): ResponseTrend | undefined {
  if (samples.length === 0) return undefined;
  const recent = median(samples.slice(-TREND_RUNS));
  const earlier = samples.slice(0, -TREND_RUNS).slice(-TREND_RUNS);
  if (earlier.length === 0) return { samples: [...samples], recent };
  const previous = median(earlier);
  return { samples: [...samples], recent, previous, direction: direction(recent, previous) };
}

function direction(recent: number, previous: number): TrendDirection {
  if (Math.abs(recent - previous) <= TREND_STEADY * previous) return 'steady';
  return recent < previous ? 'faster' : 'slower';
}

/**
 * TTD and TTR of an experiment's runs in the window (`results` in any order; sorted by start here). A run counts when
 * its result carries a `response` (every run that injected); `expectsDetect` says whether a null TTD is a miss.
 */
export function experimentResponse(
  results: readonly Pick<Result, 'startedAt' | 'response'>[],
  expectsDetect: boolean,
): ExperimentResponse | undefined {
  const responses = [...results]
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .flatMap((r) => (r.response ? [r.response] : []));
  if (responses.length === 0) return undefined;
  const ttd = responseTrend(responses.flatMap((r) => (r.ttdSeconds === null ? [] : [r.ttdSeconds])));
  const ttr = responseTrend(responses.flatMap((r) => (r.ttrSeconds === null ? [] : [r.ttrSeconds])));
  const undetected = expectsDetect ? responses.filter((r) => r.ttdSeconds === null).length : 0;
  if (!ttd && !ttr && undetected === 0) return undefined;
  return { ...(ttd ? { ttd } : {}), ...(ttr ? { ttr } : {}), undetected };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
