// SKIPPED: a guardrail refused, so nothing may be injected. A fault that ran anyway is an orchestrator ERROR.
import { nothingInjected } from '../fault-end.js';
import type { VerdictRule } from '../model.js';

export const guardrailRefused: VerdictRule = (input) => {
  const refused = (input.preflight ?? []).filter((c) => !c.ok);
  const injected = input.fault !== undefined && !nothingInjected(input.fault);
  return refused.map((c) =>
    injected
      ? {
          verdict: 'ERROR' as const,
          reason: `orchestrator: a fault was injected although guardrail ${c.name} refused: ${c.message}`,
        }
      : // The alarms guardrail reads metrics: its refusal stands or falls with them (see host-starved.ts).
        { verdict: 'SKIPPED' as const, reason: c.message, ...(c.name === 'alarms' ? { measured: true } : {}) },
  );
};
