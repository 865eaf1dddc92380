// The verdict: FIS end-state mapping and the decision over a run's findings.
export { decideVerdict, PRECEDENCE, VERDICT_RULES } from './decide.js';
export { mapFaultEnd, nothingInjected } from './fault-end.js';
export type { FaultEnd, Finding, VerdictDecision, VerdictInput, VerdictRule } from './model.js';
