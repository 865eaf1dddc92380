// Cost estimates: one run from observed counts, and the standing monthly cost of an experiment.
import type { Result } from '../result/model.js';
import type { RunCost } from './run.js';
import type { StandingCost } from './standing.js';

export * from './prices.js';
export {
  CostInputError,
  estimateRunCost,
  fisActionMinutes,
  lambdaGbSeconds,
  type RunCost,
  type RunUsage,
} from './run.js';
export { invocationsPerMonth, ScheduleExpressionError } from './schedule.js';
export { estimateStandingCost, type StandingCost, type StandingUsage, standingUsageFor } from './standing.js';

/** result.json's `cost`: runUsd is the orchestration; the fault (FIS) and standing costs are separate lines. */
export function toResultCost(run: RunCost, standing: StandingCost): NonNullable<Result['cost']> {
  return {
    runUsd: run.runUsd,
    monthlyStandingUsd: standing.monthlyUsd,
    breakdown: {
      ...run.breakdown,
      standingAlarms: standing.breakdown.alarms,
      standingSchedule: standing.breakdown.schedule,
    },
  };
}
