import { describe, expect, it } from 'vitest';
import { blackoutCheck } from '../../../core/guardrails/blackouts.js';

const freeze = [{ from: '2026-12-20', to: '2027-01-04', reason: 'year-end freeze' }];
const at = (iso: string) => new Date(iso);

describe('blackoutCheck', () => {
  it('allows any date when no blackout is declared', () => {
    expect(blackoutCheck(undefined, at('2026-12-25T10:00:00Z'), 'UTC').ok).toBe(true);
    expect(blackoutCheck([], at('2026-12-25T10:00:00Z'), 'UTC').ok).toBe(true);
  });

  it('refuses a date inside a blackout, naming the blackout and its reason', () => {
    const check = blackoutCheck(freeze, at('2026-12-28T10:00:00Z'), 'Europe/Berlin');
    expect(check.ok).toBe(false);
    expect(check.message).toBe(
      'blackouts: 2026-12-28 Europe/Berlin is inside the blackout 2026-12-20..2027-01-04 (year-end freeze); run after 2027-01-04',
    );
  });

  it('treats both ends as inclusive', () => {
    expect(blackoutCheck(freeze, at('2026-12-20T00:00:00Z'), 'UTC').ok).toBe(false);
    expect(blackoutCheck(freeze, at('2027-01-04T23:59:59Z'), 'UTC').ok).toBe(false);
    expect(blackoutCheck(freeze, at('2026-12-19T23:59:59Z'), 'UTC').ok).toBe(true);
    expect(blackoutCheck(freeze, at('2027-01-05T00:00:00Z'), 'UTC').ok).toBe(true);
  });

  it('allows a date outside every blackout', () => {
    const check = blackoutCheck(freeze, at('2026-06-01T10:00:00Z'), 'UTC');
    expect(check.ok).toBe(true);
    expect(check.message).toBe('blackouts: 2026-06-01 UTC is outside every blackout');
  });

  it('judges the date in the given zone', () => {
    // 23:30Z on the 19th is the 20th in Berlin.
    const now = at('2026-12-19T23:30:00Z');
    expect(blackoutCheck(freeze, now, 'Europe/Berlin').ok).toBe(false);
    expect(blackoutCheck(freeze, now, 'UTC').ok).toBe(true);
  });
});
