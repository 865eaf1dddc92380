// Publish: result.json + report.html to the result store FIRST, then the run ledger, the lock, and last the
// notification — a failed notification never loses a result.
import type { Verdict } from '../experiment/schema.js';
import { stepTemplateId } from '../ramp/ramp.js';
import { rampErrorResult } from '../ramp/result.js';
import type { Result } from '../result/model.js';
import { rampSummary } from '../result/ramp.js';
import { finishRun } from '../run/lifecycle.js';
import type { StepDeps } from './deps.js';
import { describeStatesError, errorResult } from './error-result.js';
import type { FaultOutcome } from './fault-outcome.js';
import type { Plan } from './plan.js';
import type { PreflightOutput } from './preflight.js';

/** The whole execution state at the moment an error was caught (PublishError passes `$`). */
export interface FailureState {
  plan: Plan;
  preflight?: PreflightOutput;
  fault?: FaultOutcome;
  stopped?: FaultOutcome;
  error?: unknown;
  stopError?: unknown;
  /** a ramp past its first step: the result the steps before the failing one built */
  result?: Result;
}

export type PublishEvent = { result: Result; plan: Plan } | { failure: FailureState };

export interface PublishOutput {
  verdict: Verdict;
  resultUri: string;
  reportUri: string;
  notified: boolean;
  notifyError?: string;
  /** PASSED or in the run's allow list: what a gated run (pipeline) needs to succeed */
  allowed: boolean;
}

export type PublishDeps = Pick<StepDeps, 'clock' | 'ledger' | 'results' | 'notifier' | 'renderReport'>;

export async function publish(deps: PublishDeps, event: PublishEvent): Promise<PublishOutput> {
  const plan = 'failure' in event ? event.failure.plan : event.plan;
  const experiment = plan.definition;
  const result = 'failure' in event ? await failureResult(deps, event.failure, experiment.hypothesis) : event.result;
  const run = await deps.ledger.getRun(plan.runId);
  const stored = await finishRun(deps, result, run?.lockKey);

  const notifyOn: readonly Verdict[] = experiment.notify?.on ?? [
    'PASSED',
    'DEGRADED',
    'FAILED',
    'SKIPPED',
    'INCONCLUSIVE',
    'ERROR',
  ];
  let notified = false;
  let notifyError: string | undefined;
  if (notifyOn.includes(result.verdict)) {
    const ramp = rampSummary(result);
    try {
      await deps.notifier.publish({
        runId: result.runId,
        experiment: result.experiment,
        verdict: result.verdict,
        reasons: result.reasons,
        resultUri: stored.resultUri,
        reportUri: stored.reportUri,
        ...(experiment.runbook ? { runbook: experiment.runbook } : {}),
        ...(result.response ? { response: result.response } : {}),
        ...(ramp ? { ramp } : {}),
      });
      notified = true;
    } catch (error) {
      // The result is stored; the notification failure is reported in the output and the execution history.
      notifyError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return {
    verdict: result.verdict,
    resultUri: stored.resultUri,
    reportUri: stored.reportUri,
    notified,
    ...(notifyError ? { notifyError } : {}),
    allowed: result.verdict === 'PASSED' || plan.allow.includes(result.verdict),
  };
}

async function failureResult(
  deps: Pick<StepDeps, 'clock'>,
  failure: FailureState,
  hypothesis: string,
): Promise<Result> {
  const reasons = [`orchestrator: ${describeStatesError(failure.error)}`];
  if (failure.stopError)
    reasons.push(`orchestrator: stopping the fault failed: ${describeStatesError(failure.stopError)}`);
  if (failure.stopped?.experimentId) {
    reasons.push(
      `fault ${failure.stopped.experimentId}: ${failure.stopped.status} (${failure.stopped.reason ?? 'stopped by shaketable'})`,
    );
  }
  const fault = failure.stopped?.experimentId ? failure.stopped : failure.fault;
  const { plan } = failure;
  const templateId = stepTemplateId(plan);
  const result = errorResult({
    runId: failure.plan.runId,
    experiment: failure.plan.experiment,
    trigger: failure.plan.trigger,
    startedAt: failure.plan.startedAt,
    endedAt: deps.clock.now().toISOString(),
    reasons,
    provider: failure.plan.provider,
    hypothesis,
    ...(failure.preflight ? { checks: failure.preflight.checks } : {}),
    ...(fault ? { fault } : {}),
    ...(templateId ? { templateId } : {}),
  });
  return plan.ramp ? rampErrorResult({ ...plan, ramp: plan.ramp }, failure.result, result) : result;
}
