import { describe, expect, it } from 'vitest';
import {
  formatBoundWithUnit,
  formatInstant,
  formatNumber,
  formatSeconds,
  formatValue,
} from '../../../core/report/format.js';

describe('report formatting', () => {
  it('shows numbers with at most four significant digits and integers unchanged', () => {
    expect(formatNumber(0.7400001)).toBe('0.74');
    expect(formatNumber(1234.5678)).toBe('1235');
    expect(formatNumber(250)).toBe('250');
  });

  it('shows bounds as ≤, ≥ or a range with a short unit', () => {
    expect(formatBoundWithUnit({ max: 250 }, 'Milliseconds')).toBe('≤ 250 ms');
    expect(formatBoundWithUnit({ min: 3 }, 'Count')).toBe('≥ 3');
    expect(formatBoundWithUnit({ min: 1, max: 2 }, 'Percent')).toBe('1 … 2 %');
  });

  it('shows lengths in the largest sensible units', () => {
    expect(formatSeconds(0.25)).toBe('250 ms');
    expect(formatSeconds(12)).toBe('12 s');
    expect(formatSeconds(252)).toBe('4 min 12 s');
    expect(formatSeconds(3720)).toBe('1 h 2 min');
  });

  it('shows instants in UTC and leaves text that is not a timestamp as it is', () => {
    expect(formatInstant('2026-03-10T11:00:05.250+01:00')).toBe('2026-03-10 10:00:05 UTC');
    expect(formatInstant('soon')).toBe('soon');
  });

  it('shows free-form observed and bound values as one line', () => {
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue({ maxTargets: 1, maxPercent: 50 })).toBe('maxTargets 1, maxPercent 50');
    expect(formatValue({ max: 0.5 })).toBe('≤ 0.5');
    expect(formatValue([{ from: 'a', to: 'b' }, 'c'])).toBe('from a, to b; c');
    expect(formatValue({ a: { b: 1 } })).toBe('a (b 1)');
    expect(formatValue(Array.from({ length: 10 }, (_, i) => i))).toBe('0; 1; 2; 3; 4; 5; 6; 7; … 2 more');
  });
});
