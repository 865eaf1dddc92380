import { describe, expect, it } from 'vitest';
import { evaluateSeries } from '../../../core/expression/evaluate.js';
import type { MetricQuery, MetricSource, Series, TimeWindow } from '../../../core/ports.js';
import {
  abortAlarmName,
  LocalAlarms,
  localAlarmDefinitions,
  queriesFor,
  UnknownProbeError,
} from '../../../local/alarms.js';
import { localExperiment } from './fixtures.js';

const T0 = 1_700_000_000_000;

/** A MetricSource over fixed per-second values that evaluates expressions as CloudWatch does. */
function fixedSource(values: Record<string, Array<number | undefined>>): MetricSource & { asked: MetricQuery[][] } {
  const asked: MetricQuery[][] = [];
  return {
    asked,
    async getSeries(queries: MetricQuery[], window: TimeWindow): Promise<Record<string, Series>> {
      asked.push(queries);
      const out: Record<string, Series> = {};
      for (const query of queries.filter((q) => q.expression === undefined)) {
        const series: Series = [];
        (values[query.id] ?? []).forEach((v, i) => {
          const t = T0 + i * 1000;
          if (v !== undefined && t >= window.start && t < window.end) series.push([t, v]);
        });
        out[query.id] = series;
      }
      for (const query of queries.filter((q) => q.expression !== undefined)) {
        out[query.id] = evaluateSeries(query.expression!, out);
      }
      return out;
    },
  };
}

const experiment = localExperiment({
  local: {
    alarms: { error_burst: { probe: 'errors', max: 5, for: 2 }, too_few: { probe: 'healthy', min: 2, for: 1 } },
  },
  guardrails: { abortWhen: { error_rate: { max: 10, for: 1 } } },
});

function alarmsAt(source: MetricSource, clock: { now: number }) {
  return new LocalAlarms(experiment, source, { now: () => new Date(T0 + clock.now * 1000 + 50) });
}

describe('local alarms', () => {
  it('names abortWhen alarms <experiment>-abort-<probe> beside the local alarms', () => {
    expect(abortAlarmName('local-test', 'error_rate')).toBe('local-test-abort-error_rate');
    expect(localAlarmDefinitions(experiment).map((d) => [d.name, d.origin])).toEqual([
      ['error_burst', 'local.alarms'],
      ['too_few', 'local.alarms'],
      ['local-test-abort-error_rate', 'guardrails.abortWhen'],
    ]);
  });

  it('starts in INSUFFICIENT_DATA and reports an unknown alarm as MISSING', async () => {
    const alarms = alarmsAt(fixedSource({}), { now: 0 });
    expect(await alarms.getStates(['error_burst', 'nope'])).toEqual([
      { name: 'error_burst', state: 'INSUFFICIENT_DATA', reason: 'not evaluated yet' },
      { name: 'nope', state: 'MISSING' },
    ]);
    expect(alarms.allHaveData()).toBe(false);
  });

  it('goes to ALARM only after `for` consecutive breaching periods, then back to OK, keeping the history', async () => {
    const clock = { now: 0 };
    const source = fixedSource({
      errors: [0, 9, 0, 9, 9, 1],
      healthy: [3, 3, 3, 3, 3, 3],
      requests: [40, 40, 40, 40, 40, 40],
    });
    const alarms = alarmsAt(source, clock);
    const states: string[] = [];
    for (clock.now = 1; clock.now <= 6; clock.now++) {
      await alarms.evaluateNow();
      states.push((await alarms.getStates(['error_burst']))[0]!.state);
    }
    // periods judged: [0,9] → OK, [9,0] → OK, [0,9] → OK, [9,9] → ALARM, [9,1] → OK
    expect(states).toEqual(['OK', 'OK', 'OK', 'OK', 'ALARM', 'OK']);
    const history = alarms.history('error_burst');
    expect(history.map((t) => `${t.from}→${t.to}`)).toEqual(['INSUFFICIENT_DATA→OK', 'OK→ALARM', 'ALARM→OK']);
    expect(history[1]!.reason).toMatch(/errors \[9, 9\] greater than the threshold \(5\)/);
    const alarmAt = history[1]!.at;
    expect(await alarms.alarmTransitions(['error_burst', 'too_few'], { start: T0, end: T0 + 10_000 })).toEqual([
      { name: 'error_burst', at: alarmAt },
    ]);
    expect(await alarms.alarmTransitions(['error_burst'], { start: alarmAt + 1, end: T0 + 10_000 })).toEqual([]);
  });

  it('alarms on a min bound and on an expression probe', async () => {
    const clock = { now: 0 };
    const source = fixedSource({ errors: [0, 8], requests: [40, 40], healthy: [3, 1] });
    const alarms = alarmsAt(source, clock);
    clock.now = 1;
    await alarms.evaluateNow();
    expect(alarms.allHaveData()).toBe(true);
    clock.now = 2;
    await alarms.evaluateNow();
    const states = await alarms.getStates(['too_few', 'local-test-abort-error_rate']);
    expect(states.map((s) => s.state)).toEqual(['ALARM', 'ALARM']);
    // The expression probe is read with the probes it refers to, so the source (or core) can evaluate it.
    expect(queriesFor(experiment, ['error_rate']).map((q) => q.id)).toEqual(['error_rate', 'errors', 'requests']);
    expect(source.asked.some((queries) => queries.map((q) => q.id).join() === 'error_rate,errors,requests')).toBe(true);
  });

  it('stays in INSUFFICIENT_DATA while the probe has no datapoint', async () => {
    const clock = { now: 3 };
    const alarms = alarmsAt(fixedSource({ errors: [], healthy: [] }), clock);
    await alarms.evaluateNow();
    expect((await alarms.getStates(['too_few']))[0]!.state).toBe('INSUFFICIENT_DATA');
    expect(alarms.history()).toEqual([]);
  });

  it('refuses an alarm on a probe the experiment does not declare', () => {
    const bad = localExperiment({ local: { alarms: { x: { probe: 'nope', max: 1 } } } });
    expect(() => new LocalAlarms(bad, fixedSource({}))).toThrow(UnknownProbeError);
  });

  it('surfaces a failing evaluation through getStates instead of keeping stale states', async () => {
    const failing: MetricSource = {
      getSeries: async () => {
        throw new Error('store broken');
      },
    };
    const alarms = new LocalAlarms(experiment, failing);
    await expect(alarms.evaluateNow()).rejects.toThrow('store broken');
    await expect(alarms.getStates(['error_burst'])).rejects.toThrow('store broken');
  });
});
