// `--summary f`: one run as GitHub-flavoured Markdown, fit for $GITHUB_STEP_SUMMARY or a pull-request comment:
// verdict badge, hypothesis, a ramp's steps (one line each), reasons, the checks as a table and links to the report.
import type { Verdict } from '../../core/experiment/schema.js';
import { formatSeconds } from '../../core/report/format.js';
import { allChecks, type Response, type Result } from '../../core/result/model.js';
import { rampSummary } from '../../core/result/ramp.js';

/** Where the evidence is; each is shown only when given. */
export interface SummaryLinks {
  report?: string;
  result?: string;
  execution?: string;
}

export const VERDICT_BADGE: Record<Verdict, string> = {
  PASSED: '🟢',
  DEGRADED: '🟡',
  FAILED: '🔴',
  SKIPPED: '⚪',
  INCONCLUSIVE: '🔵',
  ERROR: '🟣',
};

const VERDICT_MEANING: Record<Verdict, string> = {
  PASSED: 'the hypothesis held',
  DEGRADED: 'the system survived, but outside the hypothesis',
  FAILED: 'a stop condition stopped the fault',
  SKIPPED: 'nothing was injected',
  INCONCLUSIVE: 'the hypothesis could not be decided',
  ERROR: 'the orchestrator or FIS failed; the fault was stopped',
};

/** A run that started but whose result could not be read: what is known, and where to look. */
export function toMarkdownSummaryUnfinished(
  run: { experiment: string; runId: string; error: string },
  links: SummaryLinks = {},
): string {
  return [
    `### ❔ no verdict · ${inline(run.experiment)}`,
    '',
    `Run ${code(run.runId)} started, but its result could not be read: ${inline(run.error)}`,
    '',
    ...(links.execution ? [`[execution](${links.execution})`, ''] : []),
  ].join('\n');
}

export function toMarkdownSummary(result: Result, links: SummaryLinks = {}): string {
  const seconds = (Date.parse(result.endedAt) - Date.parse(result.startedAt)) / 1000;
  const lines: string[] = [
    `### ${VERDICT_BADGE[result.verdict]} ${result.verdict} · ${inline(result.experiment)}`,
    '',
    `_${VERDICT_MEANING[result.verdict]}_`,
    '',
  ];
  if (result.hypothesis?.trim()) lines.push(...quote(result.hypothesis.trim()), '');

  lines.push('| run | started | duration | trigger | fault |', '|---|---|---|---|---|');
  const fault = result.fis.experimentId
    ? `${code(result.fis.experimentId)}${result.fis.state ? ` (${inline(result.fis.state)})` : ''}`
    : 'not injected';
  lines.push(
    `| ${code(result.runId)} | ${inline(result.startedAt)} | ${Number.isFinite(seconds) ? formatSeconds(seconds) : '—'} | ${inline(result.trigger)} | ${fault} |`,
    '',
  );

  if (result.response) lines.push(responseLine(result.response), '');

  const ramp = rampSummary(result);
  if (ramp) lines.push(`**Ramp** ${inline(ramp.progress)}`, '', ...ramp.steps.map((step) => `- ${inline(step)}`), '');

  if (result.reasons.length) {
    lines.push('**Reasons**', '', ...result.reasons.map((r) => `- ${inline(r)}`), '');
  }

  const checks = allChecks(result);
  if (checks.length) {
    lines.push('| | check | detail |', '|---|---|---|');
    for (const check of checks) {
      const undecided = (check as { decided?: unknown }).decided === false;
      const mark = check.ok ? '✅' : undecided ? '❔' : '❌';
      lines.push(`| ${mark} | ${code(check.name)} | ${inline(check.message)} |`);
    }
    lines.push('');
  }

  const linkList = [
    links.report ? `[report](${url(links.report)})` : undefined,
    links.result ? `[result.json](${url(links.result)})` : undefined,
    links.execution ? `[execution](${url(links.execution)})` : undefined,
  ].filter((l): l is string => l !== undefined);
  if (linkList.length) lines.push(linkList.join(' · '), '');
  return lines.join('\n');
}

/** Markdown characters that would change how a line (or a table cell: `|`) renders, escaped; line breaks become spaces. */
function inline(value: string): string {
  return value.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** Code spans cannot escape backticks: a run of backticks longer than any inside delimits them. */
function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const padded = value.startsWith('`') || value.endsWith('`') ? ` ${value} ` : value;
  return `${fence}${padded.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${fence}`;
}

function quote(text: string): string[] {
  return text.split(/\r?\n/).map((line) => `> ${inline(line)}`);
}

/** Link targets: spaces and parentheses would end the destination early. */
function url(value: string): string {
  return value.replace(/ /g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** `**Response** · TTD 1 min 30 s (`checkout-5xx-high`) · TTR 2 min` (DESIGN §9); — where unknown. */
function responseLine(response: Response): string {
  const by = response.detectedBy ? ` (${code(response.detectedBy)})` : '';
  const parts = [`TTD ${response.ttdSeconds === null ? '—' : formatSeconds(response.ttdSeconds)}${by}`];
  if (response.ttmSeconds !== null) parts.push(`TTM ${formatSeconds(response.ttmSeconds)}`);
  if (response.ttrSeconds !== null) parts.push(`TTR ${formatSeconds(response.ttrSeconds)}`);
  return `**Response** · ${parts.join(' · ')}`;
}
