import { describe, expect, it } from 'vitest';
import { baselineWindow, phaseDurations, phases, toResultPhases } from '../../../core/steady-state/phases.js';
import { checkout, T0 } from './fixture.js';

const base = { faultStart: T0, observeSeconds: 300, recoverySeconds: 120, baselineSeconds: 600, ingestionDelay: 180 };

describe('phases', () => {
  it('keeps the fault phase open for observe when FIS ends at once (a terminate action)', () => {
    const p = phases({ ...base, fisEnd: T0 + 4_000 });
    expect(p.fault).toEqual({ start: T0, end: T0 + 300_000 });
    expect(p.recovery).toEqual({ start: T0 + 300_000, end: T0 + 420_000 });
  });

  it('extends the fault phase to the FIS end when the experiment outlasts observe', () => {
    const p = phases({ ...base, fisEnd: T0 + 600_000 });
    expect(p.fault.end).toBe(T0 + 600_000);
    expect(p.recovery.start).toBe(T0 + 600_000);
    expect(p.dataCompleteAt).toBe(T0 + 600_000 + 120_000 + 180_000);
  });

  it('puts the baseline before injection, ending the ingestion delay earlier unless told where it ended', () => {
    expect(phases(base).baseline).toEqual({ start: T0 - 780_000, end: T0 - 180_000 });
    expect(phases({ ...base, baselineEnd: T0 - 10_000 }).baseline).toEqual({ start: T0 - 610_000, end: T0 - 10_000 });
  });

  it('refuses a negative duration', () => {
    expect(() => phases({ ...base, observeSeconds: -1 })).toThrow(/observeSeconds/);
  });

  it('reads the durations from the experiment, with observe defaulting to 5 periods and AWS ingestion PT3M', () => {
    const e = checkout((i) => {
      delete i.fault.observe;
    });
    expect(phaseDurations(e)).toEqual({
      periodSeconds: 60,
      observeSeconds: 300,
      recoverySeconds: 300,
      baselineSeconds: 600,
      ingestionDelay: 180,
    });
    expect(baselineWindow(e, T0)).toEqual({ start: T0 - 780_000, end: T0 - 180_000 });
    expect(
      phaseDurations(
        checkout((i) => {
          i.provider = 'local';
        }),
      ).ingestionDelay,
    ).toBe(0);
  });

  it('writes the phases as ISO spans for result.json', () => {
    expect(toResultPhases(phases(base)).fault).toEqual({
      start: '2026-03-03T10:00:00.000Z',
      end: '2026-03-03T10:05:00.000Z',
    });
  });
});

describe('phases on the period grid', () => {
  it('starts the fault phase at the period the fault began in and ends each phase on a whole period', () => {
    const minute = 60_000;
    const p = phases({
      faultStart: 10 * minute + 17_000,
      fisEnd: 12 * minute + 5_000,
      observeSeconds: 120,
      recoverySeconds: 90,
      baselineSeconds: 600,
      ingestionDelay: 0,
      periodSeconds: 60,
    });
    expect(p.fault).toEqual({ start: 10 * minute, end: 13 * minute });
    expect(p.recovery).toEqual({ start: 13 * minute, end: 15 * minute });
    expect(p.dataCompleteAt).toBe(15 * minute);
  });
});
