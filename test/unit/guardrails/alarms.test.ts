import { describe, expect, it } from 'vitest';
import { alarmsCheck } from '../../../core/guardrails/alarms.js';

describe('alarmsCheck', () => {
  it('allows a start when every alarm is OK', () => {
    const check = alarmsCheck([
      { name: 'checkout-5xx-high', state: 'OK' },
      { name: 'checkout-latency-high', state: 'OK' },
    ]);
    expect(check).toMatchObject({ name: 'alarms', ok: true, bound: 'OK' });
    expect(check.observed).toEqual({ 'checkout-5xx-high': 'OK', 'checkout-latency-high': 'OK' });
  });

  it('allows a start when there is no alarm to check', () => {
    expect(alarmsCheck([]).ok).toBe(true);
  });

  it('refuses to start when an alarm is in ALARM', () => {
    const check = alarmsCheck([
      { name: 'checkout-5xx-high', state: 'ALARM' },
      { name: 'checkout-latency-high', state: 'OK' },
    ]);
    expect(check.ok).toBe(false);
    expect(check.message).toBe('alarms: checkout-5xx-high is ALARM; expected OK');
  });

  it('refuses INSUFFICIENT_DATA unless the experiment allows it', () => {
    const states = [{ name: 'checkout-5xx-high', state: 'INSUFFICIENT_DATA' as const }];
    const refused = alarmsCheck(states, false);
    expect(refused.ok).toBe(false);
    expect(refused.message).toBe(
      'alarms: checkout-5xx-high is INSUFFICIENT_DATA; expected OK; wait for data or set guardrails.allowInsufficientData',
    );
    expect(alarmsCheck(states, true).ok).toBe(true);
  });

  it('refuses a missing alarm even when INSUFFICIENT_DATA is allowed', () => {
    const check = alarmsCheck([{ name: 'typo-alarm', state: 'MISSING' }], true);
    expect(check.ok).toBe(false);
    expect(check.message).toBe('alarms: typo-alarm is MISSING (no such alarm); expected OK or INSUFFICIENT_DATA');
  });

  it('names every refusing alarm in one line', () => {
    const check = alarmsCheck([
      { name: 'a', state: 'ALARM' },
      { name: 'b', state: 'OK' },
      { name: 'c', state: 'MISSING' },
    ]);
    expect(check.message).toBe('alarms: a is ALARM, c is MISSING (no such alarm); expected OK');
    expect(check.message).not.toContain('\n');
  });
});
