// `--junit f`: one run as JUnit XML, the format CI systems (GitHub Actions reporters, GitLab, Jenkins, CodeBuild)
// render as tests: one testsuite per run, one testcase per guardrail/probe check, plus a `verdict` testcase.
import type { Verdict } from '../../core/experiment/schema.js';
import { allChecks, type Check, type Result } from '../../core/result/model.js';

type Outcome =
  | { kind: 'passed' }
  | { kind: 'failure' | 'error'; message: string; type: string; text: string }
  | { kind: 'skipped'; message: string };

interface TestCase {
  classname: string;
  name: string;
  seconds: number;
  outcome: Outcome;
}

/** The run as a JUnit XML document (testsuites › testsuite › testcase), UTF-8, characters escaped. */
export function toJUnit(result: Result): string {
  const seconds = runSeconds(result);
  const cases = [...allChecks(result).map((c) => checkCase(result, c)), verdictCase(result, seconds)];
  uniqueNames(cases);
  const count = (kind: Outcome['kind']) => cases.filter((c) => c.outcome.kind === kind).length;
  const totals = {
    tests: cases.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped'),
    time: formatTime(seconds),
  };
  const totalsAttributes = `tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${totals.time}"`;
  const properties: Array<[string, string | undefined]> = [
    ['runId', result.runId],
    ['verdict', result.verdict],
    ['trigger', result.trigger],
    ['provider', result.provider],
    ['hypothesis', result.hypothesis?.trim()],
    ['fisExperimentId', result.fis.experimentId],
    ['fisState', result.fis.state],
    ...Object.entries(result.links ?? {}).map(([name, url]): [string, string] => [`link.${name}`, url]),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shaketable" ${totalsAttributes}>`,
    `  <testsuite name="${attr(result.experiment)}" ${totalsAttributes} timestamp="${attr(result.startedAt)}">`,
    '    <properties>',
    ...properties
      .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '')
      .map(([name, value]) => `      <property name="${attr(name)}" value="${attr(value)}"/>`),
    '    </properties>',
    ...cases.map(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

/** A run that started but whose result could not be read: one `verdict` testcase in error, naming the run. */
export function toJUnitUnfinished(run: {
  experiment: string;
  runId: string;
  startedAt: string;
  error: string;
}): string {
  const verdict: TestCase = {
    classname: run.experiment,
    name: 'verdict',
    seconds: 0,
    outcome: { kind: 'error', message: `no verdict: ${run.error}`, type: 'NoResult', text: run.error },
  };
  const totals = 'tests="1" failures="0" errors="1" skipped="0" time="0.000"';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shaketable" ${totals}>`,
    `  <testsuite name="${attr(run.experiment)}" ${totals} timestamp="${attr(run.startedAt)}">`,
    '    <properties>',
    `      <property name="runId" value="${attr(run.runId)}"/>`,
    '    </properties>',
    renderCase(verdict),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Probe checks are named `<probe>.<phase>.<kind>`; guardrail checks are single words (window, alarms, lock…). */
function checkCase(result: Result, check: Check): TestCase {
  const probeCheck = check.name.includes('.');
  const classname = `${result.experiment}.${probeCheck ? 'hypothesis' : 'preflight'}`;
  return { classname, name: check.name, seconds: 0, outcome: checkOutcome(result.verdict, check) };
}

function checkOutcome(verdict: Verdict, check: Check): Outcome {
  if (check.ok) return { kind: 'passed' };
  // A check that missing data kept from being decided is neither held nor breached: it was not really tested.
  if ((check as { decided?: unknown }).decided === false) return { kind: 'skipped', message: check.message };
  // A guardrail that refused a SKIPPED run stopped it before anything happened: the run was skipped, not failed.
  if (verdict === 'SKIPPED') return { kind: 'skipped', message: check.message };
  return { kind: 'failure', message: check.message, type: check.name, text: describeCheck(check) };
}

function verdictCase(result: Result, seconds: number): TestCase {
  const base = { classname: result.experiment, name: 'verdict', seconds };
  const message = `${result.verdict}: ${result.reasons[0] ?? 'no reason given'}`;
  const text = [`verdict ${result.verdict}`, ...result.reasons.map((r) => `- ${r}`)].join('\n');
  switch (result.verdict) {
    case 'PASSED':
      return { ...base, outcome: { kind: 'passed' } };
    case 'SKIPPED':
      return { ...base, outcome: { kind: 'skipped', message } };
    case 'DEGRADED':
    case 'FAILED':
      return { ...base, outcome: { kind: 'failure', message, type: result.verdict, text } };
    default:
      // INCONCLUSIVE and ERROR: the hypothesis could not be tested, which JUnit calls an error, not a failure.
      return { ...base, outcome: { kind: 'error', message, type: result.verdict, text } };
  }
}

function describeCheck(check: Check): string {
  const lines = [check.message];
  if (check.observed !== undefined) lines.push(`observed: ${JSON.stringify(check.observed)}`);
  if (check.bound !== undefined) lines.push(`bound: ${JSON.stringify(check.bound)}`);
  return lines.join('\n');
}

/** Reports key testcases by classname + name; a repeated check name gets ` #2`, ` #3`… so none hides another. */
function uniqueNames(cases: TestCase[]): void {
  const seen = new Map<string, number>();
  for (const c of cases) {
    const key = `${c.classname}\u0000${c.name}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) c.name = `${c.name} #${n}`;
  }
}

function renderCase(c: TestCase): string {
  const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="${formatTime(c.seconds)}"`;
  const { outcome } = c;
  switch (outcome.kind) {
    case 'passed':
      return `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped message="${attr(outcome.message)}"/>\n    </testcase>`;
    default:
      return `${open}>\n      <${outcome.kind} message="${attr(outcome.message)}" type="${attr(outcome.type)}">${text(outcome.text)}</${outcome.kind}>\n    </testcase>`;
  }
}

function runSeconds(result: Result): number {
  const ms = Date.parse(result.endedAt) - Date.parse(result.startedAt);
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0;
}

function formatTime(seconds: number): string {
  return seconds.toFixed(3);
}

/**
 * Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are replaced, since
 * escaping cannot represent them (https://www.w3.org/TR/xml/#charsets).
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes, and line breaks and tabs as references (an attribute normalises them away). */
function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
