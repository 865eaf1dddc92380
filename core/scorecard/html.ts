// The scorecard as one self-contained HTML page: inline CSS, no script, no network (a Content-Security-Policy forbids
// any fetch). Every string comes from experiment files or the run history, so all of it is escaped.
import { VERDICTS } from '../experiment/schema.js';
import { formatSeconds } from '../report/format.js';
import { escapeHtml as e, pageHead } from '../report/html.js';
import { VERDICT_COLORS } from '../report/styles.js';
import type { Scorecard } from './compute.js';
import { formatRampOutcomes } from './ramps.js';
import type { ResponseTrend } from './response-trend.js';
import {
  checksText,
  formatPassRate,
  headline,
  lastRunText,
  RESPONSE_TREND_TITLE,
  responseScores,
  STATUS_LABEL,
  trendText,
} from './text.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const verdictRules = Object.entries(VERDICT_COLORS)
  .map(([v, c]) => `.v[data-verdict="${v}"]{background:${c.bg};color:${c.fg}}`)
  .join('\n');

const CSS = `
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328;background:#fff}
header{padding:20px 32px;background:#24292f;color:#fff}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#d1d9e0}
main{padding:8px 32px 32px;max-width:1200px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d1d9e0;padding-bottom:4px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d1d9e0;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
.v{display:inline-block;border-radius:10px;padding:0 8px;margin:1px 2px;font-size:12px;font-weight:600}
.s-overdue,.s-schedule-unreadable{color:#cf222e;font-weight:600}.s-not-run-recently{color:#9a6700;font-weight:600}
.empty{color:#59636e}code{font-size:13px}
.trend{white-space:nowrap}.trend svg{vertical-align:middle;margin-left:8px}
.d-faster{color:#1a7f37;font-weight:600}.d-slower{color:#cf222e;font-weight:600}.d-steady{color:#59636e}
${verdictRules}
`;

export function renderScorecardHtml(card: Scorecard): string {
  return [
    ...pageHead(`shaketable scorecard · ${card.days} days to ${card.window.end}`, CSP),
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>shaketable scorecard</h1><p>${e(headline(card))}</p></header>`,
    '<main>',
    experimentsSection(card),
    section(
      'fault-types',
      'Fault types exercised',
      ['Fault type', 'Injected', 'Experiments'],
      card.faultTypes.map((f) => [code(f.faultType), num(f.injected), e(f.experiments.join(', '))]),
      'No run injected a fault in the window.',
    ),
    section(
      'failing-probes',
      'Most frequent failing probes',
      ['Probe', 'Runs', 'Checks'],
      card.failingProbes.map((f) => [code(f.name), num(f.runs), e(checksText(f))]),
      'No probe check failed.',
    ),
    section(
      'failing-guardrails',
      'Most frequent failing guardrails',
      ['Guardrail', 'Runs', 'Experiments'],
      card.failingGuardrails.map((f) => [code(f.name), num(f.runs), e(f.experiments.join(', '))]),
      'No guardrail refused.',
    ),
    card.ramps.length
      ? section(
          'ramps',
          'Ramps by the step reached',
          ['Ramp', 'Steps', 'Runs', 'Reached'],
          card.ramps.map((r) => [
            e(r.experiment),
            r.steps.map(code).join(' → ') || '—',
            num(r.runs),
            e(formatRampOutcomes(r)),
          ]),
          '',
        )
      : '',
    section(
      'response',
      RESPONSE_TREND_TITLE,
      ['Experiment', 'Time to detect', 'Time to recover', 'Not detected'],
      responseScores(card).map((s) => [
        e(s.experiment),
        trendCell('ttd', s.response.ttd),
        trendCell('ttr', s.response.ttr),
        num(s.response.undetected),
      ]),
      'No run in the window measured a response.',
    ),
    section(
      'attention',
      'Not run within schedule',
      ['Experiment', 'Status', 'Detail'],
      card.attention.map((a) => [
        e(a.experiment),
        `<span class="s-${e(a.status)}">${e(STATUS_LABEL[a.status])}</span>`,
        e(a.message),
      ]),
      'Every experiment ran as expected.',
    ),
    card.unreadable.length
      ? section(
          'unreadable',
          'Results that could not be read',
          ['Experiment', 'Run', 'Result', 'Reason'],
          card.unreadable.map((u) => [e(u.experiment), code(u.runId), code(u.uri), e(u.reason)]),
          '',
        )
      : '',
    '</main>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function experimentsSection(card: Scorecard): string {
  return section(
    'experiments',
    'Runs and verdicts per experiment',
    ['Experiment', 'Runs', 'Verdicts', 'Pass rate', 'Fault types', 'Last run', 'Schedule'],
    card.experiments.map((s) => [
      `${e(s.experiment)}${s.inCatalog ? '' : ' <span class="empty">(not in catalog)</span>'}`,
      num(s.runs),
      [
        ...VERDICTS.filter((v) => s.verdicts[v] > 0).map(
          (v) => `<span class="v" data-verdict="${v}">${s.verdicts[v]} ${v}</span>`,
        ),
        ...(s.running ? [`<span class="empty">${s.running} running</span>`] : []),
        ...(s.unknown ? [`<span class="empty">${s.unknown} no verdict</span>`] : []),
      ].join(' ') || '—',
      e(formatPassRate(s)),
      s.faultTypes.map(code).join('<br>') || '—',
      e(lastRunText(s)),
      `<span class="s-${e(s.status)}">${e(STATUS_LABEL[s.status])}</span>${s.schedule ? `<br>${code(s.schedule.expression)}` : ''}`,
    ]),
    'No experiments in the catalog and no runs in the window.',
  );
}

/** A titled table; `rows` cells are already HTML (escaped by the caller). */
function section(id: string, title: string, headers: readonly string[], rows: string[][], empty: string): string {
  const body = rows.length
    ? `<table>\n<thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${rows
        .map((r) => `<tr>${r.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
        .join('\n')}\n</tbody>\n</table>`
    : `<p class="empty">${e(empty)}</p>`;
  return `<section id="${id}">\n<h2>${e(title)}</h2>\n${body}\n</section>`;
}

function code(text: string): string {
  return `<code>${e(text)}</code>`;
}

function num(n: number): string {
  return `${n}`;
}

/** A trend cell: the recent median, its direction and a sparkline of every sample (oldest left), or `—`. */
function trendCell(kind: 'ttd' | 'ttr', trend: ResponseTrend | undefined): string {
  if (!trend) return '—';
  const text = trendText(trend);
  const direction = trend.direction
    ? text.replace(trend.direction, `<span class="d-${trend.direction}">${trend.direction}</span>`)
    : text;
  return `<span class="trend" data-trend="${kind}"${trend.direction ? ` data-direction="${trend.direction}"` : ''}>${direction}${sparkline(trend.samples)}</span>`;
}

const SPARK = { width: 96, height: 20, pad: 2 };

/** The samples as an inline SVG polyline (no script, nothing fetched); higher is slower. */
export function sparkline(samples: readonly number[]): string {
  if (samples.length < 2) return '';
  const max = Math.max(...samples);
  const min = Math.min(...samples);
  const span = max - min || 1;
  const step = (SPARK.width - 2 * SPARK.pad) / (samples.length - 1);
  const points = samples
    .map((v, i) => {
      const x = SPARK.pad + i * step;
      const y = SPARK.height - SPARK.pad - ((v - min) / span) * (SPARK.height - 2 * SPARK.pad);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  const label = `${samples.length} runs, oldest first: ${samples.map((v) => formatSeconds(v)).join(', ')}`;
  return `<svg class="spark" width="${SPARK.width}" height="${SPARK.height}" viewBox="0 0 ${SPARK.width} ${SPARK.height}" role="img" aria-label="${e(label)}"><polyline fill="none" stroke="#0550ae" stroke-width="1.5" points="${points}"/></svg>`;
}
