// FIS end states → verdict (DESIGN §3), as a pure function: a stop is read from the cause shaketable
// recorded, else from the stop-condition alarms' history over the fault phase.
import type { FaultEnd, Finding } from './model.js';

function why(reason: string | undefined): string {
  return reason ? ` (FIS reason: ${reason})` : '';
}

/** 'evaluate' when the hypothesis decides, else the verdict the end state imposes and its reason. */
export function mapFaultEnd(end: FaultEnd): 'evaluate' | Finding {
  const status = end.status.toLowerCase();
  switch (status) {
    case 'completed':
      return 'evaluate';
    // StopExperiment is asynchronous: a fault seen `stopping` ends `stopped`, for the same cause.
    case 'stopping':
    case 'stopped': {
      if (end.stopCause === 'halt') {
        return {
          verdict: 'INCONCLUSIVE',
          reason: `kill switch (fault phase): observed FIS experiment stopped by shaketable halt${why(end.reason)}, bound the fault phase runs to its end`,
        };
      }
      if (end.stopCause === 'maxDuration') {
        return {
          verdict: 'ERROR',
          reason: `maxDuration (fault phase): observed FIS experiment still running at maxDuration and stopped by shaketable${why(end.reason)}, bound fault.maxDuration`,
        };
      }
      if (end.stopCause === 'orchestrator-error') {
        return {
          verdict: 'ERROR',
          reason: `orchestrator (fault phase): observed FIS experiment stopped by shaketable after an orchestrator error${why(end.reason)}, bound no orchestrator error`,
        };
      }
      if (end.stopConditionAlarmsFired) {
        const names = end.firedAlarms?.length ? ` ${end.firedAlarms.join(', ')}` : '';
        return {
          verdict: 'FAILED',
          reason: `stop condition (fault phase): observed stop-condition alarm${names} in ALARM and FIS stopped the fault${why(end.reason)}, bound no stop condition fires`,
        };
      }
      return {
        verdict: 'INCONCLUSIVE',
        reason: `operator stop (fault phase): observed FIS experiment stopped with no stop-condition alarm in ALARM (console, API or FIS safety lever)${why(end.reason)}, bound the fault phase runs to its end`,
      };
    }
    case 'cancelled':
      return {
        verdict: 'SKIPPED',
        reason: `FIS (fault phase): observed experiment cancelled before injecting${why(end.reason)}, bound FIS runs the experiment`,
      };
    case 'failed':
      if (!end.targetsResolved) {
        return {
          verdict: 'SKIPPED',
          reason: `targets (fault phase): observed no target resolved, FIS failed without injecting${why(end.reason)}, bound at least one target`,
        };
      }
      return {
        verdict: 'ERROR',
        reason: `FIS (fault phase): observed experiment failed after resolving targets${why(end.reason)}, bound FIS completes or is stopped`,
      };
    default:
      return {
        verdict: 'ERROR',
        reason: `FIS (fault phase): observed unexpected end state "${end.status}"${why(end.reason)}, bound completed, stopped, cancelled or failed`,
      };
  }
}

/** Whether an end state means nothing was injected. */
export function nothingInjected(end: FaultEnd): boolean {
  const mapped = mapFaultEnd(end);
  return mapped !== 'evaluate' && mapped.verdict === 'SKIPPED';
}
