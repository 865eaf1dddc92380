// CloudWatch adapters: every probe of every phase read with as few GetMetricData calls as possible, and the alarm
// states and ALARM transitions that preflight and the verdict need.
import {
  type CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { DataNotReadyError as CoreDataNotReadyError } from '../../core/errors.js';
import { checkExpression } from '../../core/expression/check.js';
import { printExpression } from '../../core/expression/compile.js';
import { idsOf } from '../../core/expression/parse.js';
import {
  type AlarmSource,
  type AlarmState,
  type AlarmStateValue,
  type Clock,
  type MetricQuery,
  type MetricSource,
  type Series,
  systemClock,
  type TimeWindow,
} from '../../core/ports.js';

// GetMetricData takes at most 500 MetricDataQuery structures per call, metric-math expressions and queries with
// ReturnData false included (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
export const MAX_QUERIES_PER_CALL = 500;
// DescribeAlarms accepts at most 100 alarm names per call
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
export const MAX_ALARM_NAMES_PER_CALL = 100;
// Without AlarmTypes both DescribeAlarms and DescribeAlarmHistory return metric alarms only.
const ALARM_TYPES = ['CompositeAlarm', 'MetricAlarm'] as const;

/**
 * The newest datapoints of a window ending less than the ingestion delay ago are not in CloudWatch yet.
 * The ASL retries this error; the workflow normally asks for windows old enough never to meet it.
 * A subclass of core's DataNotReadyError: same stable name, and `instanceof` holds for either.
 */
export class DataNotReadyError extends CoreDataNotReadyError {
  constructor(
    readonly windowEnd: number,
    readonly newestDatapoint: number | undefined,
  ) {
    super(
      `metrics up to ${new Date(windowEnd).toISOString()} are not all in CloudWatch yet (newest datapoint: ${
        newestDatapoint === undefined ? 'none' : new Date(newestDatapoint).toISOString()
      }); retry after the ingestion delay`,
    );
  }
}

/** An expression names an id that is neither a probe nor another query of the same request. */
export class UnknownMetricReferenceError extends Error {
  override readonly name = 'Shaketable.UnknownMetricReference';
  constructor(
    readonly queryId: string,
    readonly references: string[],
  ) {
    super(
      `metric expression "${queryId}" references ${references.map((r) => `"${r}"`).join(', ')}, not in this request`,
    );
  }
}

/** CloudWatch answered a query with Forbidden or InternalError, or a request cannot fit in one call. */
export class MetricQueryError extends Error {
  override readonly name = 'Shaketable.MetricQueryFailed';
}

// CloudWatch accepts periods of 1, 5, 10, 20, 30 seconds (high resolution) or any multiple of 60.
function assertPeriod(periodSeconds: number): void {
  if (!Number.isInteger(periodSeconds) || periodSeconds <= 0) {
    throw new RangeError(`period must be a whole number of seconds, got ${periodSeconds}`);
  }
  if (![1, 5, 10, 20, 30].includes(periodSeconds) && periodSeconds % 60 !== 0) {
    throw new RangeError(
      `CloudWatch period must be 1, 5, 10, 20, 30 or a multiple of 60 seconds, got ${periodSeconds}`,
    );
  }
}

/** The CloudWatch queries of one read, with what each requested id depends on (not the run's Plan). */
interface QueryGraph {
  /** every MetricDataQuery by id, ReturnData unset */
  entries: Map<string, MetricDataQuery>;
  /** for each requested id, the ids of all entries it needs (itself, its raw query, its references, transitively) */
  closure: Map<string, string[]>;
}

/** Turns probe queries into CloudWatch queries: MetricStat, expressions, and FILL(raw, 0) for `missing: zero`. */
export function planQueries(queries: MetricQuery[], periodSeconds: number): QueryGraph {
  const ids = new Set(queries.map((q) => q.id));
  if (ids.size !== queries.length) throw new MetricQueryError('duplicate query ids in one GetMetricData request');
  const entries = new Map<string, MetricDataQuery>();
  const direct = new Map<string, string[]>();
  const taken = new Set(ids);
  const rawId = (id: string): string => {
    let candidate = `${id}_raw`;
    for (let n = 2; taken.has(candidate); n++) candidate = `${id}_raw${n}`;
    taken.add(candidate);
    return candidate;
  };

  for (const query of queries) {
    let source: MetricDataQuery;
    let references: string[] = [];
    if (query.metric) {
      const m = query.metric;
      source = {
        Id: query.id,
        MetricStat: {
          Metric: {
            Namespace: m.namespace,
            MetricName: m.name,
            Dimensions: Object.entries(m.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: periodSeconds,
          Stat: m.stat,
          ...(m.unit ? { Unit: m.unit as StandardUnit } : {}),
        },
      };
    } else if (query.expression) {
      // The one metric-math grammar (core/expression): its ids, and the text compiled for CloudWatch from the AST.
      const ast = checkExpression(query.expression);
      references = idsOf(ast).filter((r) => r !== query.id);
      const unknown = references.filter((r) => !ids.has(r));
      if (unknown.length) throw new UnknownMetricReferenceError(query.id, unknown);
      source = { Id: query.id, Expression: printExpression(ast, periodSeconds) };
    } else {
      throw new MetricQueryError(`query "${query.id}" has neither a metric nor an expression`);
    }
    if (query.missing === 'zero') {
      // The raw series is read under another id and the probe's own id becomes FILL(raw, 0), so expressions over
      // this probe see the filled series, as the experiment file means.
      const raw = rawId(query.id);
      entries.set(raw, { ...source, Id: raw });
      entries.set(query.id, { Id: query.id, Expression: `FILL(${raw}, 0)` });
      direct.set(query.id, [raw, ...references]);
    } else {
      entries.set(query.id, source);
      direct.set(query.id, references);
    }
  }

  const closure = new Map<string, string[]>();
  const visit = (id: string, seen: Set<string>, path: string[]): void => {
    if (path.includes(id)) throw new MetricQueryError(`metric expressions form a cycle: ${[...path, id].join(' → ')}`);
    if (seen.has(id)) return;
    seen.add(id);
    for (const next of direct.get(id) ?? []) visit(next, seen, [...path, id]);
  };
  for (const query of queries) {
    const seen = new Set<string>();
    visit(query.id, seen, []);
    closure.set(query.id, [...seen]);
  }
  return { entries, closure };
}

/** Packs requested ids into calls of at most 500 queries, each call carrying every query its ids depend on. */
export function batchQueries(plan: QueryGraph, requested: string[], limit = MAX_QUERIES_PER_CALL): MetricDataQuery[][] {
  const batches: Array<{ returned: string[]; ids: Set<string> }> = [];
  let current: { returned: string[]; ids: Set<string> } | undefined;
  for (const id of requested) {
    const needs = plan.closure.get(id) ?? [id];
    if (needs.length > limit) {
      throw new MetricQueryError(`query "${id}" needs ${needs.length} CloudWatch queries, more than ${limit} per call`);
    }
    const added = current ? needs.filter((n) => !current?.ids.has(n)).length : needs.length;
    if (!current || current.ids.size + added > limit) {
      current = { returned: [], ids: new Set() };
      batches.push(current);
    }
    current.returned.push(id);
    for (const n of needs) current.ids.add(n);
  }
  return batches.map((batch) =>
    [...batch.ids].map((id) => ({
      ...(plan.entries.get(id) as MetricDataQuery),
      ReturnData: batch.returned.includes(id),
    })),
  );
}

export interface CloudWatchMetricSourceOptions {
  clock?: Clock;
  /** how far behind now CloudWatch data is complete (seconds); only the DataNotReady fallback uses it */
  ingestionDelaySeconds?: number;
}

export class CloudWatchMetricSource implements MetricSource {
  readonly #clock: Clock;
  readonly #ingestionDelayMs: number;

  constructor(
    private readonly cloudwatch: CloudWatchClient,
    options: CloudWatchMetricSourceOptions = {},
  ) {
    this.#clock = options.clock ?? systemClock;
    this.#ingestionDelayMs = (options.ingestionDelaySeconds ?? 180) * 1000;
  }

  async getSeries(queries: MetricQuery[], window: TimeWindow, periodSeconds: number): Promise<Record<string, Series>> {
    assertPeriod(periodSeconds);
    if (!(window.end > window.start))
      throw new RangeError(`window end ${window.end} is not after its start ${window.start}`);
    const out: Record<string, Series> = {};
    for (const query of queries) out[query.id] = [];
    if (queries.length === 0) return out;

    const plan = planQueries(queries, periodSeconds);
    const requested = queries.map((q) => q.id);
    const points = new Map<string, Map<number, number>>();
    for (const batch of batchQueries(plan, requested)) {
      let nextToken: string | undefined;
      do {
        const response = await this.cloudwatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: batch,
            StartTime: new Date(window.start),
            EndTime: new Date(window.end),
            ScanBy: 'TimestampAscending',
            NextToken: nextToken,
          }),
        );
        for (const result of response.MetricDataResults ?? []) collect(result, points);
        nextToken = response.NextToken;
      } while (nextToken);
    }

    let newest: number | undefined;
    for (const id of requested) {
      const series = [...(points.get(id) ?? new Map<number, number>()).entries()].sort((a, b) => a[0] - b[0]);
      out[id] = series;
      const last = series.at(-1);
      if (last && (newest === undefined || last[0] > newest)) newest = last[0];
    }
    this.#checkReady(window, periodSeconds, newest);
    return out;
  }

  /**
   * Fallback only: when the window ends within the ingestion delay and no series has a datapoint in its last
   * whole period, the data is late rather than missing. Older windows are returned as they are (gaps are data).
   */
  #checkReady(window: TimeWindow, periodSeconds: number, newest: number | undefined): void {
    const periodMs = periodSeconds * 1000;
    const lastPeriodStart = Math.floor(window.end / periodMs) * periodMs - periodMs;
    const recent = this.#clock.now().getTime() - window.end < this.#ingestionDelayMs;
    if (recent && lastPeriodStart >= window.start && (newest === undefined || newest < lastPeriodStart)) {
      throw new DataNotReadyError(window.end, newest);
    }
  }
}

function collect(result: MetricDataResult, points: Map<string, Map<number, number>>): void {
  if (!result.Id) return;
  if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
    const messages = (result.Messages ?? []).map((m) => `${m.Code}: ${m.Value}`).join('; ');
    throw new MetricQueryError(
      `GetMetricData query "${result.Id}" failed with ${result.StatusCode}${messages ? ` (${messages})` : ''}`,
    );
  }
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  let series = points.get(result.Id);
  if (!series) {
    series = new Map();
    points.set(result.Id, series);
  }
  for (let i = 0; i < timestamps.length && i < values.length; i++) {
    series.set((timestamps[i] as Date).getTime(), values[i] as number);
  }
}

/** The alarm name of a name or an alarm ARN (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`). */
export function alarmName(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const parts = nameOrArn.split(':');
  if (parts.length < 7 || parts[5] !== 'alarm') throw new RangeError(`"${nameOrArn}" is not a CloudWatch alarm ARN`);
  return parts.slice(6).join(':');
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Alarm states (metric and composite) and their transitions to ALARM. Results name alarms as the caller did. */
export class CloudWatchAlarmSource implements AlarmSource {
  constructor(private readonly cloudwatch: CloudWatchClient) {}

  async getStates(names: string[]): Promise<AlarmState[]> {
    const wanted = [...new Set(names.map(alarmName))];
    const found = new Map<string, { state: AlarmStateValue; reason?: string }>();
    for (const batch of chunks(wanted, MAX_ALARM_NAMES_PER_CALL)) {
      let nextToken: string | undefined;
      do {
        const response = await this.cloudwatch.send(
          new DescribeAlarmsCommand({
            AlarmNames: batch,
            AlarmTypes: [...ALARM_TYPES],
            MaxRecords: MAX_ALARM_NAMES_PER_CALL,
            NextToken: nextToken,
          }),
        );
        for (const alarm of [...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])]) {
          if (!alarm.AlarmName || !alarm.StateValue) continue;
          found.set(alarm.AlarmName, {
            state: alarm.StateValue,
            ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
          });
        }
        nextToken = response.NextToken;
      } while (nextToken);
    }
    return names.map((name) => {
      const alarm = found.get(alarmName(name));
      if (!alarm) return { name, state: 'MISSING', reason: `no metric or composite alarm named "${alarmName(name)}"` };
      return { name, ...alarm };
    });
  }

  async alarmTransitions(names: string[], window: TimeWindow): Promise<Array<{ name: string; at: number }>> {
    const transitions: Array<{ name: string; at: number }> = [];
    const seen = new Set<string>();
    for (const name of names) {
      const alarm = alarmName(name);
      if (seen.has(alarm)) continue;
      seen.add(alarm);
      let nextToken: string | undefined;
      do {
        const response = await this.cloudwatch.send(
          new DescribeAlarmHistoryCommand({
            AlarmName: alarm,
            AlarmTypes: [...ALARM_TYPES],
            HistoryItemType: 'StateUpdate',
            StartDate: new Date(window.start),
            EndDate: new Date(window.end),
            ScanBy: 'TimestampAscending',
            MaxRecords: 100,
            NextToken: nextToken,
          }),
        );
        for (const item of response.AlarmHistoryItems ?? []) {
          const at = item.Timestamp?.getTime();
          if (at === undefined || at < window.start || at > window.end) continue;
          if (newStateOf(item.HistoryData, item.HistorySummary) === 'ALARM') transitions.push({ name, at });
        }
        nextToken = response.NextToken;
      } while (nextToken);
    }
    return transitions.sort((a, b) => a.at - b.at);
  }
}

/**
 * The state an alarm entered, from the history item's JSON (`{"newState":{"stateValue":"ALARM"}}`), or from its
 * summary (`Alarm updated from OK to ALARM`) when CloudWatch gave no data.
 */
export function newStateOf(historyData: string | undefined, summary: string | undefined): string | undefined {
  if (historyData) {
    const data = JSON.parse(historyData) as { newState?: { stateValue?: unknown } };
    if (typeof data.newState?.stateValue === 'string') return data.newState.stateValue;
  }
  return summary ? /\bto (OK|ALARM|INSUFFICIENT_DATA)\b/.exec(summary)?.[1] : undefined;
}
