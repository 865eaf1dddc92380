import { describe, expect, it } from 'vitest';
import { killSwitchCheck } from '../../../core/guardrails/kill-switch.js';

describe('killSwitchCheck', () => {
  it('allows a start when the kill switch is off', () => {
    expect(killSwitchCheck({ on: false })).toMatchObject({ name: 'killSwitch', ok: true, observed: 'off' });
  });

  it('refuses to start when the kill switch is on, with its reason', () => {
    const check = killSwitchCheck({ on: true, reason: 'incident 4711' });
    expect(check.ok).toBe(false);
    expect(check.message).toBe(
      'killSwitch: on (incident 4711), expected off; clear it with `npx shaketable resume` when it is safe',
    );
  });

  it('names the sandbox switch for a local experiment: resume --local', () => {
    expect(killSwitchCheck({ on: true, reason: 'demo' }, 'local').message).toBe(
      'killSwitch: on (demo), expected off; clear it with `npx shaketable resume --local` when it is safe',
    );
  });
});
