// The ERROR result written when a run fails (Publish's error path) or is abandoned (Janitor): the evidence that
// is known, never a guess at the rest.
import type { Result, Trigger } from '../result/model.js';
import type { FaultOutcome } from './fault-outcome.js';

export interface ErrorRunFacts {
  runId: string;
  experiment: string;
  trigger?: Trigger;
  startedAt: string;
  endedAt: string;
  reasons: string[];
  provider?: 'aws' | 'local';
  hypothesis?: string;
  runbook?: string;
  checks?: Result['preflight']['checks'];
  fault?: FaultOutcome;
  templateId?: string;
}

export function errorResult(facts: ErrorRunFacts): Result {
  const fault = facts.fault;
  return {
    runId: facts.runId,
    experiment: facts.experiment,
    ...(facts.hypothesis ? { hypothesis: facts.hypothesis } : {}),
    ...(facts.runbook ? { runbook: facts.runbook } : {}),
    ...(facts.provider ? { provider: facts.provider } : {}),
    verdict: 'ERROR',
    reasons: facts.reasons,
    startedAt: facts.startedAt,
    endedAt: facts.endedAt,
    trigger: facts.trigger ?? 'manual',
    preflight: { checks: facts.checks ?? [] },
    fis: {
      ...(fault?.experimentId ? { experimentId: fault.experimentId } : {}),
      ...(fault?.status ? { state: fault.status } : {}),
      ...(facts.templateId ? { templateId: facts.templateId } : {}),
      targets: [],
    },
    phases: {},
    probes: {},
    events: [
      { at: facts.startedAt, type: 'started', message: `run ${facts.runId} started` },
      ...(fault?.experimentId
        ? [
            {
              at: fault.endTime ?? facts.endedAt,
              type: 'fault',
              message: `fault ${fault.experimentId}: ${fault.status}`,
            },
          ]
        : []),
      { at: facts.endedAt, type: 'error', message: facts.reasons.join('; ') },
    ],
  };
}

/** The message inside a Step Functions error output `{Error, Cause}` (a Lambda's Cause is JSON with errorMessage). */
export function describeStatesError(error: unknown): string {
  if (!error || typeof error !== 'object') return 'unknown error';
  const { Error: name, Cause: cause } = error as { Error?: string; Cause?: string };
  let message = cause ?? '';
  if (message.startsWith('{')) {
    try {
      const parsed = JSON.parse(message) as { errorMessage?: string };
      if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
    } catch (parseError) {
      // A Cause that looks like JSON but is not: keep it verbatim, it is still the best description there is.
      if (!(parseError instanceof SyntaxError)) throw parseError;
    }
  }
  return [name, message].filter(Boolean).join(': ') || 'unknown error';
}
