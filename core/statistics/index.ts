// Statistics for the hypothesis comparison.
export {
  type Alternative,
  averageRanks,
  exactUCounts,
  type MannWhitneyOptions,
  type MannWhitneyResult,
  mannWhitneyU,
  StatisticsInputError,
} from './mann-whitney.js';
export { erfc, normalCdf, normalSurvival } from './normal.js';
