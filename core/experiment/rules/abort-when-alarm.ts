// An `abortWhen` probe becomes a CloudWatch alarm (a FIS stop condition), so CloudWatch alarms must be able to
// evaluate it: no function alarms refuse (SEARCH, ANOMALY_DETECTION_BAND) in it or in any probe it reads, and at
// most 10 metrics and 10 expressions in the alarm (PutMetricAlarm's MetricDataQuery limits). The alarm's queries
// are planned by the same compiler the CDK uses (core/expression/compile.ts). Local files compile no alarm.
import { ALARM_MAX_EXPRESSIONS, ALARM_MAX_METRICS, type AlarmQuery, alarmQueries } from '../../expression/compile.js';
import { METRIC_MATH_FUNCTIONS } from '../../expression/functions.js';
import { callsOf, ExpressionError, parseExpression } from '../../expression/parse.js';
import type { Probe } from '../schema.js';
import { referencedProbeIds } from './expression-ids.js';
import { asMap, asString, at, entriesAt, providerOf, type Rule, type RuleIssue, secondsOf } from './rule.js';

export const abortWhenAlarm: Rule = {
  name: 'abort-when-alarm',
  check(raw) {
    if (providerOf(raw) !== 'aws') return [];
    const probes = new Map(entriesAt(raw, 'steadyState', 'probes').map(([name, p]) => [name, asMap(p)]));
    const issues: RuleIssue[] = [];
    for (const [name] of entriesAt(raw, 'guardrails', 'abortWhen')) {
      if (!probes.has(name)) continue; // abort-when-probes reports it
      const path = ['guardrails', 'abortWhen', name];
      const read = closure(name, probes);
      for (const probe of read) {
        const expression = asString(probes.get(probe)?.['expression']);
        if (expression === undefined) continue;
        for (const call of refusedCalls(expression)) {
          const where = probe === name ? 'its expression' : `probe "${probe}", which it reads,`;
          issues.push({
            path,
            message: `a CloudWatch alarm cannot evaluate ${call}() (${where} calls it): ${METRIC_MATH_FUNCTIONS[call]!.notInAlarms}; watch a probe without it`,
          });
        }
      }
      const queries = plannedQueries(raw, name);
      if (queries) {
        const metrics = queries.filter((q) => 'metric' in q).length;
        const expressions = queries.length - metrics;
        if (metrics > ALARM_MAX_METRICS || expressions > ALARM_MAX_EXPRESSIONS) {
          issues.push({
            path,
            message: `its alarm would read ${metrics} metrics and ${expressions} expressions; a CloudWatch alarm takes at most ${ALARM_MAX_METRICS} of each: watch a probe that reads fewer`,
          });
        }
      }
    }
    return issues;
  },
};

/** `name` and every probe its expression reads, transitively (unknown ids and cycles are other rules'). */
function closure(name: string, probes: ReadonlyMap<string, Record<string, unknown> | undefined>): string[] {
  const seen: string[] = [];
  const visit = (id: string): void => {
    if (seen.includes(id) || !probes.has(id)) return;
    seen.push(id);
    const expression = asString(probes.get(id)?.['expression']);
    for (const ref of expression === undefined ? [] : referencedProbeIds(expression)) visit(ref);
  };
  visit(name);
  return seen;
}

function refusedCalls(expression: string): string[] {
  try {
    const ast = parseExpression(expression);
    return callsOf(ast, (fn) => METRIC_MATH_FUNCTIONS[fn]?.notInAlarms !== undefined).map((c) => c.name);
  } catch (error) {
    if (error instanceof ExpressionError) return []; // expression-syntax reports it
    throw error;
  }
}

/**
 * The alarm's queries as the CDK will compile them, or undefined when the probes are not yet well formed (an
 * unknown probe, a cycle, an expression that does not check: each is reported by its own rule).
 */
function plannedQueries(raw: unknown, name: string): AlarmQuery[] | undefined {
  const probes = asMap(at(raw, 'steadyState', 'probes')) as Record<string, Probe> | undefined;
  if (!probes) return undefined;
  try {
    return alarmQueries(probes, name, secondsOf(at(raw, 'steadyState', 'period')) ?? 60);
  } catch (error) {
    if (error instanceof ExpressionError || error instanceof RangeError) return undefined;
    throw error;
  }
}
