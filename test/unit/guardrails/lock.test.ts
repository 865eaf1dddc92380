import { describe, expect, it } from 'vitest';
import { lockCheck } from '../../../core/guardrails/lock.js';

describe('lockCheck', () => {
  it('allows a start when this run acquired the target lock', () => {
    expect(lockCheck({ acquired: true })).toMatchObject({ name: 'lock', ok: true });
  });

  it('refuses to start when another run holds the lock, naming that run', () => {
    const check = lockCheck({
      acquired: false,
      holder: 'run-20260401-0930',
      expiresAt: Date.UTC(2026, 3, 1, 10, 30) / 1000,
    });
    expect(check.ok).toBe(false);
    expect(check.observed).toBe('held by run-20260401-0930');
    expect(check.message).toBe(
      'lock: the targets are locked by run run-20260401-0930 until 2026-04-01T10:30:00.000Z, expected free; wait for that run to end',
    );
  });
});
