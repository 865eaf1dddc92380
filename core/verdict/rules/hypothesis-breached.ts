// DEGRADED: a hypothesis check was decided and breached (a during bound, recovery time or comparison).
import type { VerdictRule } from '../model.js';

export const hypothesisBreached: VerdictRule = (input) =>
  (input.hypothesis?.checks ?? [])
    .filter((c) => c.decided && !c.ok)
    .map((c) => ({ verdict: 'DEGRADED' as const, reason: c.message }));
