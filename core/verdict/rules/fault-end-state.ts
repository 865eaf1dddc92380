// The FIS end state's own verdict (FAILED on a stop condition, ERROR, INCONCLUSIVE, SKIPPED), if any.
import { mapFaultEnd } from '../fault-end.js';
import type { VerdictRule } from '../model.js';

export const faultEndState: VerdictRule = (input) => {
  if (!input.fault) return [];
  const mapped = mapFaultEnd(input.fault);
  return mapped === 'evaluate' ? [] : [mapped];
};
