// Guardrail: no experiment during a blackout (inclusive calendar dates, judged in the window's zone).
import type { Guardrails } from '../experiment/schema.js';
import type { Check } from '../result/model.js';
import { localTime } from './local-time.js';

export type Blackout = NonNullable<Guardrails['blackouts']>[number];

export function blackoutCheck(blackouts: readonly Blackout[] | undefined, now: Date, zone: string): Check {
  const { date } = localTime(now, zone);
  if (!blackouts?.length) return { name: 'blackouts', ok: true, observed: date, message: 'blackouts: none declared' };
  // ISO dates compare correctly as strings.
  const active = blackouts.filter((b) => b.from <= date && date <= b.to);
  const observed = `${date} ${zone}`;
  const bound = blackouts.map((b) => `${b.from}..${b.to}`);
  const first = active[0];
  if (!first) {
    return {
      name: 'blackouts',
      ok: true,
      observed,
      bound,
      message: `blackouts: ${observed} is outside every blackout`,
    };
  }
  const why = first.reason ? ` (${first.reason})` : '';
  return {
    name: 'blackouts',
    ok: false,
    observed,
    bound,
    message: `blackouts: ${observed} is inside the blackout ${first.from}..${first.to}${why}; run after ${first.to}`,
  };
}
