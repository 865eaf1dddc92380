// Invariants of the verdict over random runs: worse data never improves it, datapoint order never
// matters, and PASSED needs every check decided and held.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Series, TimeWindow } from '../../../core/ports.js';
import { evaluateBaseline } from '../../../core/steady-state/baseline.js';
import { evaluateHypothesis } from '../../../core/steady-state/hypothesis.js';
import { toResultProbes } from '../../../core/steady-state/result.js';
import { decideVerdict } from '../../../core/verdict/decide.js';
import type { FaultEnd } from '../../../core/verdict/model.js';
import { checkout, checkoutPhases, healthySeries, MIN } from '../steady-state/fixture.js';

const experiment = checkout();
const p = checkoutPhases();
const completed: FaultEnd = { status: 'completed', stopConditionAlarmsFired: false, targetsResolved: true };
const RANK = { PASSED: 0, INCONCLUSIVE: 1, DEGRADED: 2, FAILED: 3, ERROR: 4, SKIPPED: -1 } as const;

/** Five per-minute slots of a phase: each a value or missing (null), mostly healthy so every verdict occurs. */
const slots = (healthy: fc.Arbitrary<number>, bad: fc.Arbitrary<number>, missingFreq: number) =>
  fc.array(
    fc.oneof(
      { weight: 40, arbitrary: healthy },
      { weight: 1, arbitrary: bad },
      { weight: missingFreq, arbitrary: fc.constant(null) },
    ),
    { minLength: 5, maxLength: 5 },
  );

const phaseArb = fc.record({
  latency: slots(fc.double({ min: 0.09, max: 0.13, noNaN: true }), fc.double({ min: 0, max: 0.8, noNaN: true }), 2),
  errors: slots(fc.constant(0), fc.integer({ min: 1, max: 3 }), 20),
  healthy: slots(fc.constant(3), fc.integer({ min: 0, max: 2 }), 1),
});
type PhaseDraw = { latency: (number | null)[]; errors: (number | null)[]; healthy: (number | null)[] };

const toSeries = (w: TimeWindow, values: (number | null)[]): Series =>
  values.flatMap((v, i) => (v === null ? [] : [[w.start + i * MIN, v] as [number, number]]));

function seriesOf(fault: PhaseDraw, recovery: PhaseDraw) {
  const s = healthySeries(p);
  for (const [name, w, draw] of [
    ['fault', p.fault, fault],
    ['recovery', p.recovery, recovery],
  ] as const) {
    s[name].latency = toSeries(w, draw.latency);
    s[name].errors = toSeries(w, draw.errors);
    s[name].healthy = toSeries(w, draw.healthy);
  }
  return s;
}

function verdictOf(s: ReturnType<typeof healthySeries>) {
  const baseline = evaluateBaseline(experiment, s.baseline, p.baseline);
  const hypothesis = evaluateHypothesis(experiment, s, p);
  return { ...decideVerdict({ baseline, fault: completed, hypothesis }), hypothesis };
}

/** Moves every present value in the direction that breaks its tolerance. */
function worsen(draw: PhaseDraw, up: number[], down: number[]): PhaseDraw {
  return {
    latency: draw.latency.map((v, i) => (v === null ? null : v + up[i]!)),
    errors: draw.errors.map((v, i) => (v === null ? null : v + Math.round(up[i]! * 3))),
    healthy: draw.healthy.map((v, i) => (v === null ? null : v - down[i]!)),
  };
}

const deltas = fc.array(
  fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.double({ min: 0, max: 0.5, noNaN: true })),
  {
    minLength: 5,
    maxLength: 5,
  },
);
const drops = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 2 })), {
  minLength: 5,
  maxLength: 5,
});

describe('verdict properties', () => {
  it('never improves when a fault or recovery series gets worse', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(phaseArb, phaseArb, deltas, drops, deltas, drops, (fault, recovery, fu, fd, ru, rd) => {
        const before = verdictOf(seriesOf(fault, recovery)).verdict;
        const after = verdictOf(seriesOf(worsen(fault, fu, fd), worsen(recovery, ru, rd))).verdict;
        seen.add(`${before}>${after}`);
        expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
      }),
      { numRuns: 300 },
    );
    // The property is only worth something if the draws reach passing runs that worsening degrades.
    expect(seen).toContain('PASSED>PASSED');
    expect(seen).toContain('PASSED>DEGRADED');
    expect([...seen].some((t) => t.startsWith('INCONCLUSIVE'))).toBe(true);
  });

  it('gives the same verdict, reasons and result probes whatever the order of the datapoints', () => {
    fc.assert(
      fc.property(phaseArb, phaseArb, fc.integer(), (fault, recovery, seed) => {
        const s = seriesOf(fault, recovery);
        const shuffled = structuredClone(s);
        let state = seed;
        const random = () => {
          state = (state * 1103515245 + 12345) & 0x7fffffff;
          return state / 0x7fffffff;
        };
        for (const phase of Object.values(shuffled)) {
          for (const series of Object.values(phase) as Series[]) {
            for (let i = series.length - 1; i > 0; i--) {
              const j = Math.floor(random() * (i + 1));
              [series[i], series[j]] = [series[j]!, series[i]!];
            }
          }
        }
        const a = verdictOf(s);
        const b = verdictOf(shuffled);
        expect(b.verdict).toBe(a.verdict);
        expect(b.reasons).toEqual(a.reasons);
        expect(toResultProbes(experiment, b.hypothesis)).toEqual(toResultProbes(experiment, a.hypothesis));
      }),
      { numRuns: 100 },
    );
  });

  it('is PASSED only when every check was decided and held', () => {
    let passed = 0;
    fc.assert(
      fc.property(phaseArb, phaseArb, (fault, recovery) => {
        const v = verdictOf(seriesOf(fault, recovery));
        if (v.verdict === 'PASSED') {
          passed++;
          expect(v.hypothesis.checks.length).toBeGreaterThan(0);
          expect(v.hypothesis.checks.every((c) => c.decided && c.ok)).toBe(true);
        } else {
          expect(v.hypothesis.checks.every((c) => c.decided && c.ok)).toBe(false);
        }
      }),
      { numRuns: 300, examples: [[healthyDraw(), healthyDraw()]] },
    );
    expect(passed).toBeGreaterThan(0);
  });
});

function healthyDraw(): PhaseDraw {
  return { latency: [0.1, 0.11, 0.12, 0.1, 0.11], errors: [null, null, null, null, null], healthy: [3, 3, 3, 3, 3] };
}
