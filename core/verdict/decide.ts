// The run's verdict (DESIGN §3) from everything the run learned, as one pure function:
// the most severe finding wins; PASSED only when every check was decided and held.
import type { Verdict } from '../experiment/schema.js';
import { nothingInjected } from './fault-end.js';
import type { Finding, VerdictDecision, VerdictInput, VerdictRule } from './model.js';
import { baselineNotHeld } from './rules/baseline-not-held.js';
import { detectionMissed } from './rules/detection-missed.js';
import { dryRun } from './rules/dry-run.js';
import { faultEndState } from './rules/fault-end-state.js';
import { guardrailRefused } from './rules/guardrail-refused.js';
import { hostStarved } from './rules/host-starved.js';
import { hypothesisBreached } from './rules/hypothesis-breached.js';
import { orchestratorError } from './rules/orchestrator-error.js';
import { undecided } from './rules/undecided.js';

export const VERDICT_RULES: readonly VerdictRule[] = [
  orchestratorError,
  faultEndState,
  guardrailRefused,
  dryRun,
  hostStarved,
  baselineNotHeld,
  hypothesisBreached,
  detectionMissed,
  undecided,
];

/** Severity order of DESIGN §3; SKIPPED sits above INCONCLUSIVE because it only applies when nothing was injected. */
export const PRECEDENCE: readonly Finding['verdict'][] = ['ERROR', 'FAILED', 'DEGRADED', 'SKIPPED', 'INCONCLUSIVE'];

export function decideVerdict(input: VerdictInput): VerdictDecision {
  const injected = input.fault !== undefined && !nothingInjected(input.fault);
  let findings = VERDICT_RULES.flatMap((rule) => rule(input));
  // SKIPPED means nothing was injected; once a fault ran, a skip finding cannot describe the run.
  if (injected) findings = findings.filter((f) => f.verdict !== 'SKIPPED');
  else if (!findings.some((f) => f.verdict === 'ERROR' || f.verdict === 'SKIPPED' || f.verdict === 'INCONCLUSIVE')) {
    findings.push({
      verdict: 'ERROR',
      reason:
        'orchestrator: observed no fault injected and no guardrail, dry run or baseline explaining why, bound a fault or a recorded refusal',
    });
  }
  // Starved measurements decide nothing: FAILED (a stop-condition alarm), DEGRADED (a breached bound) and a refusal
  // by the guardrail alarms were read from the very data the host starved, so the run is INCONCLUSIVE. ERROR is the
  // orchestrator's own failure and every other SKIPPED a guardrail that reads no metric (window, kill switch…): they stand.
  if (findings.some((f) => f.voidsMeasurements)) {
    findings = findings.filter((f) => f.verdict !== 'FAILED' && f.verdict !== 'DEGRADED' && !f.measured);
  }
  // Stable sort: most severe first, rule order within a verdict.
  const ranked = [...findings].sort((a, b) => PRECEDENCE.indexOf(a.verdict) - PRECEDENCE.indexOf(b.verdict));
  const top = ranked[0];
  if (top) return { verdict: top.verdict, reasons: dedupe(ranked.map((f) => f.reason)) };
  // A PASSED verdict carries its evidence too (DESIGN §3: each reason names the probe, the phase, the observed
  // value and the bound): every bound, recovery and comparison check that held — coverage checks are implied.
  const checks = input.hypothesis?.checks ?? [];
  const held = checks.filter((c) => c.kind !== 'coverage').map((c) => c.message);
  return {
    verdict: 'PASSED' satisfies Verdict,
    reasons: [`hypothesis: all ${checks.length} checks decided and held`, ...held],
  };
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
