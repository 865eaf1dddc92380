// The console's catalog rows: each experiment file with what a service team asks first — who owns it, what it
// breaks, when it runs, what protects it, how it went last time and lately. Counts come from core/scorecard, so
// the catalog and the scorecard never disagree on a pass rate.
import type { Experiment } from '../../core/experiment/schema.js';
import type { RunRecord } from '../../core/ports.js';
import type { Scorecard } from '../../core/scorecard/compute.js';
import { nextScheduleFiring, ScheduleIntervalError } from '../../core/scorecard/schedule-interval.js';
import type { CatalogItem } from './api.js';

/** How many recent runs the sparkline shows. */
export const RECENT_RUNS = 20;

export interface CatalogSource {
  file: string;
  experiment: Experiment;
}

export function catalogItems(
  sources: readonly CatalogSource[],
  runs: readonly RunRecord[],
  card: Scorecard,
  now: Date,
): CatalogItem[] {
  const scores = new Map(card.experiments.map((s) => [s.experiment, s]));
  return sources.map(({ file, experiment }): CatalogItem => {
    const own = runs.filter((run) => run.experiment === experiment.name); // newest first, as listRuns returns them
    const last = own[0];
    return {
      name: experiment.name,
      file,
      description: experiment.description,
      owner: experiment.owner,
      hypothesis: experiment.hypothesis.trim(),
      fault: faultSummary(experiment),
      ...(experiment.schedule
        ? {
            schedule: {
              expression: experiment.schedule.expression,
              ...(experiment.schedule.timezone ? { timezone: experiment.schedule.timezone } : {}),
              enabled: experiment.schedule.enabled ?? true,
              ...nextRun(experiment, now),
            },
          }
        : {}),
      guardrails: guardrailSummary(experiment),
      ...(last
        ? {
            lastRun: {
              runId: last.runId,
              status: last.status,
              startedAt: last.startedAt,
              ...(last.verdict ? { verdict: last.verdict } : {}),
            },
          }
        : {}),
      passRate: scores.get(experiment.name)?.passRate ?? null,
      recent: own
        .slice(0, RECENT_RUNS)
        .reverse()
        .map((run) => run.verdict ?? (run.status === 'RUNNING' ? 'RUNNING' : 'UNKNOWN')),
    };
  });
}

/** "kill: local:instance:terminate on web (COUNT(1)); observe PT5S, max PT30S", or the external template's id. */
export function faultSummary(experiment: Experiment): string {
  const { fault } = experiment;
  const timing = `${fault.observe ? `observe ${fault.observe}, ` : ''}max ${fault.maxDuration}`;
  if (!fault.template) return `FIS template ${fault.templateId ?? '?'}; ${timing}`;
  const { targets, actions } = fault.template;
  const parts = Object.entries(actions).map(([name, action]) => {
    const hit = Object.values(action.targets ?? {}).map((target) => {
      const spec = targets[target];
      return spec ? `${target} (${spec.selectionMode})` : target;
    });
    return `${name}: ${action.actionId}${hit.length ? ` on ${hit.join(', ')}` : ''}`;
  });
  return `${parts.join('; ')}; ${timing}`;
}

export function guardrailSummary(experiment: Experiment): string[] {
  const g = experiment.guardrails;
  const out: string[] = [];
  const stops = experiment.fault.template?.stopConditions ?? [];
  if (stops.length) out.push(`stop conditions ${stops.join(', ')}`);
  if (!g) return out;
  if (g.alarms?.length) out.push(`alarms ${g.alarms.join(', ')}`);
  if (g.abortWhen) out.push(`abort when ${Object.keys(g.abortWhen).join(', ')}`);
  const radius = g.blastRadius;
  if (radius?.maxTargets !== undefined) out.push(`≤ ${radius.maxTargets} target${radius.maxTargets === 1 ? '' : 's'}`);
  if (radius?.maxPercent !== undefined) out.push(`≤ ${radius.maxPercent}% of targets`);
  if (g.window) out.push(`window ${g.window.days.join(',')} ${g.window.between} ${g.window.timezone}`);
  if (g.holidays) out.push(`no runs on ${g.holidays} holidays`);
  if (g.blackouts?.length) out.push(`${g.blackouts.length} blackout${g.blackouts.length === 1 ? '' : 's'}`);
  if (g.approval?.required) out.push('approval required');
  return out;
}

/** The next scheduled run of an enabled cron schedule (a rate() schedule's next run depends on its creation). */
function nextRun(experiment: Experiment, now: Date): { next?: string } {
  const schedule = experiment.schedule;
  if (!schedule || schedule.enabled === false) return {};
  try {
    const next = nextScheduleFiring(schedule.expression, schedule.timezone, now);
    return next ? { next: next.toISOString() } : {};
  } catch (error) {
    // The scorecard lists such a schedule as unreadable; the catalog shows the expression without a next run.
    if (error instanceof ScheduleIntervalError) return {};
    throw error;
  }
}
