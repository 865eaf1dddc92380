import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DataNotReadyError as CoreDataNotReadyError } from '../../../core/errors.js';
import type { MetricQuery } from '../../../core/ports.js';
import {
  alarmName,
  batchQueries,
  CloudWatchAlarmSource,
  CloudWatchMetricSource,
  DataNotReadyError,
  MetricQueryError,
  planQueries,
  UnknownMetricReferenceError,
} from '../../../functions/aws/cloudwatch.js';

const T0 = Date.parse('2026-03-03T10:00:00Z');
const MIN = 60_000;
const window = { start: T0, end: T0 + 10 * MIN };
const longAgo = { now: () => new Date(T0 + 24 * 60 * MIN) };

const alb = { LoadBalancer: 'app/checkout/50dc6c495c0c9188' };
const errors: MetricQuery = {
  id: 'errors',
  metric: { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_Target_5XX_Count', stat: 'Sum', dimensions: alb },
  missing: 'zero',
};
const requests: MetricQuery = {
  id: 'requests',
  metric: { namespace: 'AWS/ApplicationELB', name: 'RequestCount', stat: 'Sum', dimensions: alb },
  missing: 'ignore',
};
const latency: MetricQuery = {
  id: 'latency_p99',
  metric: { namespace: 'AWS/ApplicationELB', name: 'TargetResponseTime', stat: 'p99', dimensions: alb },
  missing: 'ignore',
};
const errorRate: MetricQuery = { id: 'error_rate', expression: '100 * errors / requests', missing: 'ignore' };

describe('CloudWatchMetricSource', () => {
  const cw = new CloudWatchClient({ region: 'eu-central-1' });
  const mock = mockClient(cw);
  beforeEach(() => mock.reset());

  it('reads metric probes as MetricStat with period, stat and dimensions, in ascending order', async () => {
    mock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: 'latency_p99',
          StatusCode: 'Complete',
          Timestamps: [new Date(T0 + MIN), new Date(T0)],
          Values: [0.2, 0.1],
        },
      ],
    });
    const source = new CloudWatchMetricSource(cw, { clock: longAgo });
    const series = await source.getSeries([latency], window, 60);

    expect(series).toEqual({
      latency_p99: [
        [T0, 0.1],
        [T0 + MIN, 0.2],
      ],
    });
    const calls = mock.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      MetricDataQueries: [
        {
          Id: 'latency_p99',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/ApplicationELB',
              MetricName: 'TargetResponseTime',
              Dimensions: [{ Name: 'LoadBalancer', Value: 'app/checkout/50dc6c495c0c9188' }],
            },
            Period: 60,
            Stat: 'p99',
          },
          ReturnData: true,
        },
      ],
      StartTime: new Date(window.start),
      EndTime: new Date(window.end),
      ScanBy: 'TimestampAscending',
      NextToken: undefined,
    });
  });

  it('reads a missing: zero probe as FILL(raw, 0) over a raw query that is not returned', async () => {
    mock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'errors', StatusCode: 'Complete', Timestamps: [new Date(T0)], Values: [0] }],
    });
    const series = await new CloudWatchMetricSource(cw, { clock: longAgo }).getSeries([errors], window, 60);

    expect(series).toEqual({ errors: [[T0, 0]] });
    const queries = mock.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries;
    expect(queries).toEqual([
      { Id: 'errors', Expression: 'FILL(errors_raw, 0)', ReturnData: true },
      {
        Id: 'errors_raw',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApplicationELB',
            MetricName: 'HTTPCode_Target_5XX_Count',
            Dimensions: [{ Name: 'LoadBalancer', Value: 'app/checkout/50dc6c495c0c9188' }],
          },
          Period: 60,
          Stat: 'Sum',
        },
        ReturnData: false,
      },
    ]);
  });

  it('passes expression probes to CloudWatch with the probes they reference in the same call', async () => {
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await new CloudWatchMetricSource(cw, { clock: longAgo }).getSeries([errorRate, errors, requests], window, 60);

    const queries = mock.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries ?? [];
    expect(queries.map((q) => [q.Id, q.ReturnData])).toEqual([
      ['error_rate', true],
      ['errors', true],
      ['errors_raw', false],
      ['requests', true],
    ]);
    expect(queries[0]).toEqual({ Id: 'error_rate', Expression: '100 * errors / requests', ReturnData: true });
  });

  it('sends 1,200 queries as three GetMetricData calls of at most 500', async () => {
    const many: MetricQuery[] = Array.from({ length: 1200 }, (_, i) => ({ ...requests, id: `q${i}` }));
    mock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
        Id: q.Id,
        StatusCode: 'Complete',
        Timestamps: [new Date(T0)],
        Values: [1],
      })),
    }));
    const series = await new CloudWatchMetricSource(cw, { clock: longAgo }).getSeries(many, window, 60);

    const sizes = mock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.length);
    expect(sizes).toEqual([500, 500, 200]);
    expect(Object.keys(series)).toHaveLength(1200);
    expect(series.q1199).toEqual([[T0, 1]]);
  });

  it('follows NextToken and joins the pages of each series', async () => {
    mock
      .on(GetMetricDataCommand, { NextToken: undefined })
      .resolves({
        NextToken: 'page-2',
        MetricDataResults: [{ Id: 'requests', StatusCode: 'PartialData', Timestamps: [new Date(T0)], Values: [5] }],
      })
      .on(GetMetricDataCommand, { NextToken: 'page-2' })
      .resolves({
        MetricDataResults: [{ Id: 'requests', StatusCode: 'Complete', Timestamps: [new Date(T0 + MIN)], Values: [7] }],
      });
    const series = await new CloudWatchMetricSource(cw, { clock: longAgo }).getSeries([requests], window, 60);

    expect(series.requests).toEqual([
      [T0, 5],
      [T0 + MIN, 7],
    ]);
    const calls = mock.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(calls[1]?.args[0].input.MetricDataQueries).toEqual(calls[0]?.args[0].input.MetricDataQueries);
  });

  it('refuses an expression that references an id not in the request', async () => {
    const source = new CloudWatchMetricSource(cw, { clock: longAgo });
    await expect(
      source.getSeries([{ id: 'rate', expression: '100 * eror / requests', missing: 'ignore' }, requests], window, 60),
    ).rejects.toThrow(UnknownMetricReferenceError);
    expect(mock.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it('fails with the query id when CloudWatch answers Forbidden', async () => {
    mock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'requests', StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'no access' }] },
      ],
    });
    const error = await new CloudWatchMetricSource(cw, { clock: longAgo })
      .getSeries([requests], window, 60)
      .catch((e) => e);
    expect(error).toBeInstanceOf(MetricQueryError);
    expect(error.name).toBe('Shaketable.MetricQueryFailed');
    expect(error.message).toContain('"requests" failed with Forbidden');
  });

  it('refuses a period CloudWatch does not accept', async () => {
    await expect(new CloudWatchMetricSource(cw).getSeries([requests], window, 45)).rejects.toThrow(RangeError);
  });

  describe('DataNotReady (fallback only)', () => {
    const justNow = { now: () => new Date(window.end + 60_000) };

    it('is thrown when the window ended within the ingestion delay and its last period has no data yet', async () => {
      mock.on(GetMetricDataCommand).resolves({
        MetricDataResults: [{ Id: 'requests', StatusCode: 'Complete', Timestamps: [new Date(T0)], Values: [5] }],
      });
      const error = await new CloudWatchMetricSource(cw, { clock: justNow, ingestionDelaySeconds: 180 })
        .getSeries([requests], window, 60)
        .catch((e) => e);
      expect(error).toBeInstanceOf(DataNotReadyError);
      expect(error).toBeInstanceOf(CoreDataNotReadyError);
      expect(error.name).toBe('Shaketable.DataNotReady');
    });

    it('is not thrown when the last period has data, however recent the window', async () => {
      mock.on(GetMetricDataCommand).resolves({
        MetricDataResults: [
          { Id: 'requests', StatusCode: 'Complete', Timestamps: [new Date(window.end - MIN)], Values: [5] },
        ],
      });
      const source = new CloudWatchMetricSource(cw, { clock: justNow, ingestionDelaySeconds: 180 });
      await expect(source.getSeries([requests], window, 60)).resolves.toEqual({ requests: [[window.end - MIN, 5]] });
    });

    it('is not thrown for a window older than the ingestion delay: its gaps are data', async () => {
      mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
      const source = new CloudWatchMetricSource(cw, { clock: longAgo, ingestionDelaySeconds: 180 });
      await expect(source.getSeries([requests], window, 60)).resolves.toEqual({ requests: [] });
    });
  });
});

describe('query planning', () => {
  it('sends expressions compiled from the AST, PERIOD() as the period, depending on the ids they read', () => {
    const perSecond: MetricQuery = {
      id: 'per_second',
      expression: 'FILL(errors, 0) * 1e3 / PERIOD(requests)',
      missing: 'ignore',
    };
    const plan = planQueries([requests, errors, perSecond], 60);
    expect(plan.entries.get('per_second')).toEqual({ Id: 'per_second', Expression: 'FILL(errors, 0) * 1000 / 60' });
    expect(plan.closure.get('per_second')?.sort()).toEqual(['errors', 'errors_raw', 'per_second', 'requests']);
  });

  it('repeats a dependency in a later call without returning it there', () => {
    const plan = planQueries([latency, requests, errors, errorRate], 60);
    const batches = batchQueries(plan, ['latency_p99', 'requests', 'errors', 'error_rate'], 4);
    expect(batches.map((b) => b.map((q) => [q.Id, q.ReturnData]))).toEqual([
      [
        ['latency_p99', true],
        ['requests', true],
        ['errors', true],
        ['errors_raw', false],
      ],
      [
        ['error_rate', true],
        ['errors', false],
        ['errors_raw', false],
        ['requests', false],
      ],
    ]);
  });

  it('refuses metric expressions that form a cycle', () => {
    expect(() =>
      planQueries(
        [
          { id: 'a', expression: 'b + 1', missing: 'ignore' },
          { id: 'b', expression: 'a + 1', missing: 'ignore' },
        ],
        60,
      ),
    ).toThrow(/cycle/);
  });
});

describe('CloudWatchAlarmSource', () => {
  const cw = new CloudWatchClient({ region: 'eu-central-1' });
  const mock = mockClient(cw);
  beforeEach(() => mock.reset());

  it('reads metric and composite alarms by name in batches of 100 and reports unknown ones as MISSING', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `alarm-${i}`);
    mock.on(DescribeAlarmsCommand).callsFake((input) => ({
      MetricAlarms: (input.AlarmNames as string[])
        .filter((n) => n !== 'alarm-7' && n !== 'alarm-120')
        .map((n) => ({ AlarmName: n, StateValue: 'OK', StateReason: 'fine' })),
      CompositeAlarms: (input.AlarmNames as string[]).includes('alarm-120')
        ? [{ AlarmName: 'alarm-120', StateValue: 'ALARM', StateReason: 'children in ALARM' }]
        : [],
    }));
    const states = await new CloudWatchAlarmSource(cw).getStates(names);

    const calls = mock.commandCalls(DescribeAlarmsCommand);
    expect(calls.map((c) => c.args[0].input.AlarmNames?.length)).toEqual([100, 50]);
    expect(calls[0]?.args[0].input).toMatchObject({ AlarmTypes: ['CompositeAlarm', 'MetricAlarm'], MaxRecords: 100 });
    expect(states).toHaveLength(150);
    expect(states[0]).toEqual({ name: 'alarm-0', state: 'OK', reason: 'fine' });
    expect(states[7]).toMatchObject({ name: 'alarm-7', state: 'MISSING' });
    expect(states[120]).toEqual({ name: 'alarm-120', state: 'ALARM', reason: 'children in ALARM' });
  });

  it('accepts alarm ARNs, asks for their names and answers with the ARN it was given', async () => {
    const arn = 'arn:aws:cloudwatch:eu-central-1:123456789012:alarm:checkout-5xx-high';
    mock
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ AlarmName: 'checkout-5xx-high', StateValue: 'INSUFFICIENT_DATA' }] });
    const states = await new CloudWatchAlarmSource(cw).getStates([arn]);
    expect(mock.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input.AlarmNames).toEqual(['checkout-5xx-high']);
    expect(states).toEqual([{ name: arn, state: 'INSUFFICIENT_DATA' }]);
  });

  it('follows NextToken of DescribeAlarms', async () => {
    mock
      .on(DescribeAlarmsCommand, { NextToken: undefined })
      .resolves({ NextToken: 't2', MetricAlarms: [{ AlarmName: 'a', StateValue: 'OK' }] })
      .on(DescribeAlarmsCommand, { NextToken: 't2' })
      .resolves({ MetricAlarms: [{ AlarmName: 'b', StateValue: 'ALARM' }] });
    const states = await new CloudWatchAlarmSource(cw).getStates(['a', 'b']);
    expect(states.map((s) => s.state)).toEqual(['OK', 'ALARM']);
  });

  it('lists transitions to ALARM inside the window from the StateUpdate history, across pages', async () => {
    const history = (from: string, to: string, at: number) => ({
      AlarmName: 'checkout-5xx-high',
      HistoryItemType: 'StateUpdate' as const,
      Timestamp: new Date(at),
      HistorySummary: `Alarm updated from ${from} to ${to}`,
      HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: from }, newState: { stateValue: to } }),
    });
    mock
      .on(DescribeAlarmHistoryCommand, { NextToken: undefined })
      .resolves({
        NextToken: 'h2',
        AlarmHistoryItems: [history('OK', 'ALARM', T0 + MIN), history('ALARM', 'OK', T0 + 2 * MIN)],
      })
      .on(DescribeAlarmHistoryCommand, { NextToken: 'h2' })
      .resolves({ AlarmHistoryItems: [history('INSUFFICIENT_DATA', 'ALARM', T0 + 3 * MIN)] });
    const transitions = await new CloudWatchAlarmSource(cw).alarmTransitions(['checkout-5xx-high'], window);

    expect(transitions).toEqual([
      { name: 'checkout-5xx-high', at: T0 + MIN },
      { name: 'checkout-5xx-high', at: T0 + 3 * MIN },
    ]);
    expect(mock.commandCalls(DescribeAlarmHistoryCommand)[0]?.args[0].input).toEqual({
      AlarmName: 'checkout-5xx-high',
      AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
      HistoryItemType: 'StateUpdate',
      StartDate: new Date(window.start),
      EndDate: new Date(window.end),
      ScanBy: 'TimestampAscending',
      MaxRecords: 100,
      NextToken: undefined,
    });
  });

  it('takes the name part of an alarm ARN and refuses other ARNs', () => {
    expect(alarmName('arn:aws:cloudwatch:us-east-1:123456789012:alarm:a:b')).toBe('a:b');
    expect(alarmName('plain-name')).toBe('plain-name');
    expect(() => alarmName('arn:aws:sns:us-east-1:123456789012:topic')).toThrow(RangeError);
  });
});
