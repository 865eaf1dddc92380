// INCONCLUSIVE: the system was not in steady state before injection (or it could not be told).
import type { VerdictRule } from '../model.js';

export const baselineNotHeld: VerdictRule = (input) =>
  input.baseline && !input.baseline.held
    ? input.baseline.reasons.map((reason) => ({ verdict: 'INCONCLUSIVE' as const, reason }))
    : [];
