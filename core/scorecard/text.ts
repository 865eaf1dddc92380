// The scorecard as text for a terminal: a headline, aligned tables per section, and what needs attention.

import { VERDICTS } from '../experiment/schema.js';
import { formatSeconds, table } from '../report/format.js';
import type { ExperimentScore, FailureScore, RunCounts, ScheduleStatus, Scorecard } from './compute.js';
import { formatRampOutcomes } from './ramps.js';
import { type ResponseTrend, TREND_RUNS } from './response-trend.js';

export const STATUS_LABEL: Record<ScheduleStatus, string> = {
  'on-schedule': 'on schedule',
  overdue: 'OVERDUE',
  unscheduled: 'no schedule',
  'not-run-recently': 'not run recently',
  'schedule-unreadable': 'schedule never fires',
};

export function formatPassRate(counts: Pick<RunCounts, 'passRate' | 'passed' | 'injected'>): string {
  if (counts.passRate === null) return '—';
  return `${Math.round(counts.passRate * 100)} % (${counts.passed}/${counts.injected})`;
}

/** `3 PASSED, 1 DEGRADED, 1 running`: only the verdicts that occurred, in DESIGN §3 order. */
export function formatVerdicts(counts: RunCounts): string {
  const parts = VERDICTS.filter((v) => counts.verdicts[v] > 0).map((v) => `${counts.verdicts[v]} ${v}`);
  if (counts.running) parts.push(`${counts.running} running`);
  if (counts.unknown) parts.push(`${counts.unknown} no verdict`);
  return parts.join(', ') || '—';
}

export function headline(card: Scorecard): string {
  const t = card.totals;
  const runs = `${t.runs} run${t.runs === 1 ? '' : 's'}`;
  return `Scorecard over ${card.days} days (${card.window.start} to ${card.window.end}): ${runs}, ${t.injected} injected a fault, hypothesis pass rate ${formatPassRate(t)}`;
}

export function lastRunText(score: ExperimentScore): string {
  if (!score.lastRun) return 'never';
  return `${score.lastRun.startedAt}${score.lastRun.verdict ? ` ${score.lastRun.verdict}` : ''}`;
}

export function scheduleText(score: ExperimentScore): string {
  const label = STATUS_LABEL[score.status];
  return score.schedule ? `${label} · ${score.schedule.expression}` : label;
}

export function checksText(failure: FailureScore): string {
  return failure.checks.map((c) => `${c.name} ×${c.runs}`).join(', ');
}

/** The title of the response-trend section, in both forms. */
export const RESPONSE_TREND_TITLE = `Time to detect and to recover (median of the last ${TREND_RUNS} runs, against the ${TREND_RUNS} before)`;

/** `42 s, faster (was 1 min 10 s) · 8 runs`; `—` when no run measured it. */
export function trendText(trend: ResponseTrend | undefined): string {
  if (!trend) return '—';
  const runs = `${trend.samples.length} run${trend.samples.length === 1 ? '' : 's'}`;
  if (trend.previous === undefined) return `${formatSeconds(trend.recent)} · ${runs}`;
  return `${formatSeconds(trend.recent)}, ${trend.direction} (was ${formatSeconds(trend.previous)}) · ${runs}`;
}

/** The experiments whose runs in the window measured a response. */
export function responseScores(card: Scorecard): Array<ExperimentScore & Required<Pick<ExperimentScore, 'response'>>> {
  return card.experiments.filter((s): s is ExperimentScore & Required<Pick<ExperimentScore, 'response'>> =>
    Boolean(s.response),
  );
}

/** A titled table, or the title and an indented line saying why there is none. */
function tableSection(title: string, header: string[], rows: string[][], empty: string): string {
  return `${title}\n${rows.length ? table(header, rows) : `  ${empty}`}`;
}

export function formatScorecardText(card: Scorecard): string {
  const sections = [headline(card)];
  sections.push(
    card.experiments.length
      ? table(
          ['EXPERIMENT', 'RUNS', 'VERDICTS', 'PASS RATE', 'LAST RUN', 'SCHEDULE'],
          card.experiments.map((s) => [
            s.inCatalog ? s.experiment : `${s.experiment} (not in catalog)`,
            String(s.runs),
            formatVerdicts(s),
            formatPassRate(s),
            lastRunText(s),
            scheduleText(s),
          ]),
        )
      : 'No experiments in the catalog and no runs in the window.',
  );
  sections.push(
    tableSection(
      'Fault types exercised',
      ['FAULT TYPE', 'INJECTED', 'EXPERIMENTS'],
      card.faultTypes.map((f) => [f.faultType, String(f.injected), f.experiments.join(', ')]),
      'none: no run injected a fault in the window',
    ),
    tableSection(
      'Most frequent failing probes',
      ['PROBE', 'RUNS', 'CHECKS'],
      card.failingProbes.map((f) => [f.name, String(f.runs), checksText(f)]),
      'none',
    ),
    tableSection(
      'Most frequent failing guardrails',
      ['GUARDRAIL', 'RUNS', 'EXPERIMENTS'],
      card.failingGuardrails.map((f) => [f.name, String(f.runs), f.experiments.join(', ')]),
      'none',
    ),
  );
  if (card.ramps.length) {
    sections.push(
      tableSection(
        'Ramps by the step reached',
        ['RAMP', 'STEPS', 'RUNS', 'REACHED'],
        card.ramps.map((r) => [r.experiment, r.steps.join(' → '), String(r.runs), formatRampOutcomes(r)]),
        '',
      ),
    );
  }
  sections.push(
    tableSection(
      RESPONSE_TREND_TITLE,
      ['EXPERIMENT', 'TTD', 'TTR', 'NOT DETECTED'],
      responseScores(card).map((s) => [
        s.experiment,
        trendText(s.response.ttd),
        trendText(s.response.ttr),
        String(s.response.undetected),
      ]),
      'none: no run in the window measured a response',
    ),
  );
  sections.push(
    `Not run within schedule\n${
      card.attention.length
        ? card.attention.map((a) => `  ${STATUS_LABEL[a.status]}: ${a.experiment}: ${a.message}`).join('\n')
        : '  none: every experiment ran as expected'
    }`,
  );
  if (card.unreadable.length) {
    sections.push(
      `Results that could not be read (counted from the run table only)\n${card.unreadable
        .map((u) => `  ${u.experiment} ${u.runId}: ${u.uri}: ${u.reason}`)
        .join('\n')}`,
    );
  }
  return `${sections.map((s) => s.trimEnd()).join('\n\n')}\n`;
}
