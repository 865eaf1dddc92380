import { describe, expect, it } from 'vitest';
import {
  CostInputError,
  estimateRunCost,
  estimateStandingCost,
  fisActionMinutes,
  invocationsPerMonth,
  lambdaGbSeconds,
  standingUsageFor,
  toResultCost,
} from '../../../core/cost/index.js';
import { checkout } from '../steady-state/fixture.js';

describe('estimateRunCost', () => {
  it('prices a typical run from its counts, with the fault apart', () => {
    const cost = estimateRunCost({
      stateTransitions: 15,
      lambda: {
        gbSeconds: lambdaGbSeconds(Array.from({ length: 9 }, () => ({ memoryMb: 512, durationMs: 800 }))),
        requests: 9,
      },
      getMetricDataMetrics: 10,
      snsPublishes: 1,
      s3Puts: 2,
      dynamoDbWriteUnits: 6,
      fisActionMinutes: 5,
    });
    expect(cost.breakdown.stepFunctions).toBeCloseTo(15 * 0.000025, 12);
    expect(cost.breakdown.lambda).toBeCloseTo(3.6 * 0.0000133334 + 9 * 0.0000002, 12);
    expect(cost.breakdown.getMetricData).toBeCloseTo(0.0001, 12);
    expect(cost.breakdown.s3).toBeCloseTo(0.00001, 12);
    expect(cost.breakdown.dynamoDb).toBeCloseTo(6 * 0.000000625, 12);
    expect(cost.faultUsd).toBeCloseTo(0.5, 12);
    expect(cost.runUsd).toBeCloseTo(
      0.000375 + 0.0000480002 + 0.0000018 + 0.0001 + 0.0000005 + 0.00001 + 0.00000375,
      10,
    );
    expect(cost.runUsd).toBeLessThan(0.001);
  });

  it('refuses a negative or non-finite count', () => {
    const usage = {
      stateTransitions: -1,
      lambda: { gbSeconds: 0, requests: 0 },
      getMetricDataMetrics: 0,
      snsPublishes: 0,
      s3Puts: 0,
      dynamoDbWriteUnits: 0,
      fisActionMinutes: 0,
    };
    expect(() => estimateRunCost(usage)).toThrow(CostInputError);
    expect(() => estimateRunCost({ ...usage, stateTransitions: 0, fisActionMinutes: Number.NaN })).toThrow(
      /fisActionMinutes/,
    );
  });

  it('rounds each FIS action to the nearest minute, as FIS bills', () => {
    expect(
      fisActionMinutes([
        { start: 0, end: 4_000 },
        { start: 0, end: 301_000 },
        { start: 0, end: 331_000 },
      ]),
    ).toBe(0 + 5 + 6);
  });
});

describe('invocationsPerMonth', () => {
  it('counts rate expressions', () => {
    expect(invocationsPerMonth('rate(1 day)')).toBeCloseTo(30.436875, 6);
    expect(invocationsPerMonth('rate(30 minutes)')).toBeCloseTo(30.436875 * 48, 6);
  });

  it('counts cron expressions with day-of-week ranges, lists and steps', () => {
    // 10:00 on TUE-THU: 3 days a week.
    expect(invocationsPerMonth('cron(0 10 ? * TUE-THU *)')).toBeCloseTo((3 * 30.436875) / 7, 6);
    // every 15 minutes on the 1st and 15th of each month
    expect(invocationsPerMonth('cron(0/15 * 1,15 * ? *)')).toBeCloseTo(4 * 24 * 2, 6);
    // first Monday of each quarter's first month
    expect(invocationsPerMonth('cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)')).toBeCloseTo(4 / 12, 6);
  });

  it('counts a one-time at() schedule as nothing monthly', () => {
    expect(invocationsPerMonth('at(2026-05-01T10:00:00)')).toBe(0);
  });

  it('refuses malformed expressions', () => {
    expect(() => invocationsPerMonth('cron(0 10 * * * *)')).toThrow(/"\?"/);
    expect(() => invocationsPerMonth('cron(0 10 * *)')).toThrow(/6 fields/);
    expect(() => invocationsPerMonth('every day')).toThrow(/not a rate/);
    expect(() => invocationsPerMonth('cron(0 25 ? * MON *)')).toThrow(/outside 0-23/);
  });
});

describe('standing cost', () => {
  it('prices compiled abortWhen alarms per metric and the schedule per invocation', () => {
    const e = checkout((i) => {
      i.guardrails = { abortWhen: { errors: { max: 10, for: 2 }, error_rate: { max: 5, for: 1 } } };
      i.schedule = { expression: 'cron(0 10 ? * TUE-THU *)', timezone: 'Europe/Berlin' };
    });
    const usage = standingUsageFor(e);
    expect(usage.alarms).toEqual([
      { name: 'abortWhen.errors', metrics: 1, highResolution: false },
      { name: 'abortWhen.error_rate', metrics: 2, highResolution: false },
    ]);
    const cost = estimateStandingCost(usage);
    expect(cost.breakdown.alarms).toBeCloseTo(0.3, 12);
    expect(cost.breakdown.schedule).toBeCloseTo(((3 * 30.436875) / 7) * 0.000001, 12);
    expect(cost.scheduledRunsPerMonth).toBeCloseTo((3 * 30.436875) / 7, 6);
    const result = toResultCost(
      estimateRunCost({
        stateTransitions: 15,
        lambda: { gbSeconds: 0, requests: 0 },
        getMetricDataMetrics: 0,
        snsPublishes: 0,
        s3Puts: 0,
        dynamoDbWriteUnits: 0,
        fisActionMinutes: 1,
      }),
      cost,
    );
    expect(result).toMatchObject({
      runUsd: 15 * 0.000025,
      monthlyStandingUsd: cost.monthlyUsd,
      breakdown: { fis: 0.1, standingAlarms: cost.breakdown.alarms },
    });
  });

  it('prices high-resolution alarms higher, and nothing for a disabled schedule or a local experiment', () => {
    const e = checkout((i) => {
      i.steadyState.period = 'PT10S';
      i.guardrails = { abortWhen: { latency: { max: 1, for: 3 } } };
      i.schedule = { expression: 'rate(1 hour)', enabled: false };
    });
    expect(estimateStandingCost(standingUsageFor(e))).toMatchObject({ monthlyUsd: 0.3, breakdown: { schedule: 0 } });
    expect(
      standingUsageFor(
        checkout((i) => {
          i.provider = 'local';
        }),
      ),
    ).toEqual({
      alarms: [],
      scheduleInvocationsPerMonth: 0,
    });
  });
});
