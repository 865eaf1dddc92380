// ERROR: the orchestrator itself failed (a step threw, the workflow caught it); the result must say so.
import type { VerdictRule } from '../model.js';

export const orchestratorError: VerdictRule = (input) =>
  input.error === undefined ? [] : [{ verdict: 'ERROR', reason: `orchestrator: ${input.error}` }];
