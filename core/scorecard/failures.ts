// What failed in one run, for the scorecard's rankings: the probes whose checks did not hold and the guardrails that
// refused, read from result.preflight.checks and result.hypothesisChecks (ok=false) and, for stop conditions, from result.reasons.
import { allChecks, type Result } from '../result/model.js';

/** Hypothesis checks are named `<probe>.<phase>.<kind>` (core/steady-state); probe ids never hold a dot. */
const PROBE_CHECK = /^([a-z][a-zA-Z0-9_]*)\.(baseline|fault|recovery)\.([a-z]+)$/;
/** The FAILED reason written by core/verdict/fault-end.ts names the alarms that stopped the fault. */
const STOP_CONDITION_REASON = /^stop condition \([^)]*\): observed stop-condition alarms? (.+?) in ALARM/;

export interface RunFailures {
  /** probe name → what did not hold: its check names (`latency_p99.fault.during`), or the reason line naming it */
  probes: Map<string, string[]>;
  /** guardrail names that refused (`window`, `alarms`, `blastRadius`…) and `stop condition <alarm>` when one fired */
  guardrails: Set<string>;
}

export function runFailures(result: Result, probeNames: readonly string[] = []): RunFailures {
  const probes = new Map<string, string[]>();
  const guardrails = new Set<string>();
  for (const check of allChecks(result)) {
    if (check.ok) continue;
    // A check read straight from a step (not through Result.parse, which drops it) also carries `probe`.
    const field = (check as { probe?: unknown }).probe;
    const probe = typeof field === 'string' ? field : PROBE_CHECK.exec(check.name)?.[1];
    if (probe === undefined) guardrails.add(check.name);
    else probes.set(probe, [...(probes.get(probe) ?? []), check.name]);
  }
  for (const reason of result.reasons) {
    const stop = STOP_CONDITION_REASON.exec(reason);
    if (stop) for (const alarm of stop[1]!.split(', ')) guardrails.add(`stop condition ${alarm}`);
    else if (reason.startsWith('stop condition ')) guardrails.add('stop condition');
  }
  // An older or hand-written result may only say in its reasons which probe broke (`errors fault: sum 61 > 0`).
  if (probes.size === 0 && result.verdict !== 'PASSED') {
    for (const reason of result.reasons) {
      const probe = probeNames.find((name) => reason.startsWith(`${name} `));
      if (probe !== undefined && !probes.has(probe)) probes.set(probe, [reason]);
    }
  }
  return { probes, guardrails };
}
