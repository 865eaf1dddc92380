// One-off generator kept for readability of the retry blocks; the checked-in ASL is the source of truth.
import { writeFileSync } from 'node:fs';

const lambdaErrors = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'Lambda.ClientExecutionTimeoutException'],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};
const throttling = {
  ErrorEquals: ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException', 'ServiceUnavailable', 'InternalServerError'],
  IntervalSeconds: 1,
  MaxAttempts: 5,
  BackoffRate: 2,
};
const retry = [lambdaErrors, throttling];
const toStop = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'StopFault' }];
const task = (fn, extra) => ({ Type: 'Task', Resource: `\${${fn}FunctionArn}`, TimeoutSeconds: 60, Retry: retry, ...extra });

const definition = {
  Comment:
    'shaketable: one chaos experiment run. Load → Preflight (+ lock) → [Approval] → Baseline → InjectFault (waits for the FIS state-change event) → Wait(recovery + ingestion) → Observe → Evaluate → Publish → Gate. Any error after Load → StopFault → PublishError → Failed. JSONPath only, so the same file runs locally under aws-local-stepfunctions.',
  StartAt: 'Load',
  TimeoutSeconds: 93600,
  States: {
    Load: task('Load', {
      Comment: 'Reads the deployed catalog entry named by the input and computes the run plan; rejects any other input.',
      Parameters: { 'input.$': '$', 'runId.$': '$$.Execution.Name', 'startedAt.$': '$$.Execution.StartTime' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'InvalidInput' }],
      Next: 'Preflight',
    }),
    Preflight: task('Preflight', {
      Comment: 'Every guardrail check, plus the target lock when they all pass.',
      Parameters: { 'plan.$': '$.plan' },
      ResultPath: '$.preflight',
      Catch: toStop,
      Next: 'PreflightPassed',
    }),
    PreflightPassed: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.preflight.ok', BooleanEquals: false, Next: 'Evaluate' },
        { Variable: '$.plan.approvalRequired', BooleanEquals: true, Next: 'PrepareApproval' },
      ],
      Default: 'Baseline',
    },
    PrepareApproval: {
      Type: 'Pass',
      Comment: 'TimeoutSecondsPath is read before Parameters in AWS and after them locally: keep it at $.Payload in both.',
      Parameters: { 'plan.$': '$.plan', 'timeoutSeconds.$': '$.plan.timeouts.approvalSeconds' },
      ResultPath: '$.Payload',
      Next: 'Approval',
    },
    Approval: {
      Type: 'Task',
      Comment: 'Stores the task token and asks for `shaketable approve|reject <runId>`.',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: '${ApprovalFunctionArn}',
        Payload: { 'token.$': '$$.Task.Token', 'plan.$': '$.Payload.plan', 'timeoutSeconds.$': '$.Payload.timeoutSeconds' },
      },
      TimeoutSecondsPath: '$.Payload.timeoutSeconds',
      ResultPath: '$.approval',
      Retry: retry,
      Catch: [
        { ErrorEquals: ['States.Timeout', 'Shaketable.ApprovalRejected'], ResultPath: '$.approvalError', Next: 'Evaluate' },
        ...toStop,
      ],
      Next: 'Baseline',
    },
    Baseline: task('Baseline', {
      Comment: 'Reads the baseline window ending ingestionDelay ago; decides whether the system is in steady state.',
      Parameters: { 'plan.$': '$.plan' },
      ResultPath: '$.baseline',
      Retry: [...retry, { ErrorEquals: ['Shaketable.DataNotReady'], IntervalSeconds: 30, MaxAttempts: 4, BackoffRate: 1.5 }],
      Catch: toStop,
      Next: 'BaselineHeld',
    }),
    BaselineHeld: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.baseline.held', BooleanEquals: false, Next: 'Evaluate' },
        { Variable: '$.plan.dryRun', BooleanEquals: true, Next: 'Evaluate' },
      ],
      Default: 'PrepareInjection',
    },
    PrepareInjection: {
      Type: 'Pass',
      Comment: 'TimeoutSecondsPath is read before Parameters in AWS and after them locally: keep it at $.Payload in both.',
      Parameters: { 'plan.$': '$.plan', 'timeoutSeconds.$': '$.plan.timeouts.injectSeconds' },
      ResultPath: '$.Payload',
      Next: 'InjectFault',
    },
    InjectFault: {
      Type: 'Task',
      Comment: 'Re-checks kill switch, alarms and window, stores the token, starts FIS; FaultEnded completes the token on the FIS state-change event.',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: '${InjectFaultFunctionArn}',
        Payload: { 'token.$': '$$.Task.Token', 'plan.$': '$.Payload.plan', 'timeoutSeconds.$': '$.Payload.timeoutSeconds' },
      },
      TimeoutSecondsPath: '$.Payload.timeoutSeconds',
      ResultPath: '$.fault',
      Retry: [lambdaErrors],
      Catch: [
        { ErrorEquals: ['Shaketable.GuardrailRefused'], ResultPath: '$.injectRefused', Next: 'Evaluate' },
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'Reconcile' },
        ...toStop,
      ],
      Next: 'WaitForRecovery',
    },
    Reconcile: task('Reconcile', {
      Comment: 'The FIS event did not come in time: ask FIS before concluding anything.',
      Parameters: { 'plan.$': '$.plan' },
      ResultPath: '$.fault',
      Catch: toStop,
      Next: 'FaultEndedInTime',
    }),
    FaultEndedInTime: {
      Type: 'Choice',
      Choices: [{ Variable: '$.fault.ended', BooleanEquals: false, Next: 'StopOverdueFault' }],
      Default: 'WaitForRecovery',
    },
    StopOverdueFault: task('StopFault', {
      Comment: 'Still running after maxDuration: record the cause, then stop it.',
      Parameters: { 'plan.$': '$.plan', cause: 'maxDuration' },
      ResultPath: '$.fault',
      Catch: toStop,
      Next: 'WaitForRecovery',
    }),
    WaitForRecovery: {
      Type: 'Wait',
      Comment: 'Until the fault phase (at least `observe`) is over, then expect.recovery + ingestionDelay: computed by whoever completed the fault.',
      SecondsPath: '$.fault.waitSeconds',
      Next: 'Observe',
    },
    Observe: task('Observe', {
      Comment: 'Reads every probe over baseline, fault and recovery in as few GetMetricData calls as possible.',
      Parameters: { 'plan.$': '$.plan', 'fault.$': '$.fault', 'baseline.$': '$.baseline' },
      ResultPath: '$.observation',
      Retry: [...retry, { ErrorEquals: ['Shaketable.DataNotReady'], IntervalSeconds: 30, MaxAttempts: 4, BackoffRate: 1.5 }],
      Catch: toStop,
      Next: 'Evaluate',
    }),
    Evaluate: task('Evaluate', {
      Comment: 'Decides the verdict and its reasons from everything the run gathered.',
      ResultPath: '$.result',
      Catch: toStop,
      Next: 'Publish',
    }),
    Publish: task('Publish', {
      Comment: 'result.json + report.html to the result store, then the notification; releases the lock.',
      Parameters: { 'result.$': '$.result', 'plan.$': '$.plan' },
      ResultPath: '$.published',
      Catch: toStop,
      Next: 'Gate',
    }),
    Gate: {
      Type: 'Choice',
      Comment: 'Pipelines (gate: true) fail the execution unless the verdict is PASSED or allowed.',
      Choices: [
        {
          And: [
            { Variable: '$.plan.gate', BooleanEquals: true },
            { Variable: '$.published.allowed', BooleanEquals: false },
          ],
          Next: 'VerdictNotAllowed',
        },
      ],
      Default: 'Done',
    },
    Done: { Type: 'Succeed' },
    VerdictNotAllowed: { Type: 'Fail', Error: 'Shaketable.VerdictNotAllowed', Cause: 'The verdict is neither PASSED nor in the allow list of this gated run.' },
    StopFault: task('StopFault', {
      Comment: 'Error path: record the cause, stop the fault if one is running (no-op otherwise).',
      Parameters: { 'plan.$': '$.plan', cause: 'orchestrator-error', 'error.$': '$.error' },
      ResultPath: '$.stopped',
      Retry: [...retry, { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.stopError', Next: 'PublishError' }],
      Next: 'PublishError',
    }),
    PublishError: task('Publish', {
      Comment: 'Writes the ERROR result (and releases the lock) for a run that failed.',
      Parameters: { 'failure.$': '$' },
      ResultPath: '$.published',
      Retry: [...retry, { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.publishError', Next: 'Failed' }],
      Next: 'Failed',
    }),
    Failed: { Type: 'Fail', Error: 'Shaketable.RunFailed', Cause: 'The run failed; the fault was stopped and an ERROR result written (see the run result).' },
    InvalidInput: {
      Type: 'Fail',
      Comment: 'The execution input or the catalog entry was rejected by Load; nothing was started. The cause is Load’s one-line message.',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    },
  },
};
writeFileSync(new URL('../statemachines/experiment.asl.json', import.meta.url), `${JSON.stringify(definition, null, 2)}\n`);
