// The Lambda functions the state machine's Task states call, by state name: `${<Name>FunctionArn}` in
// statemachines/experiment.asl.json. The CDK provides each (infra/), the sandbox maps each to its step (local/).
export const TASK_FUNCTIONS = [
  'Load',
  'ResolveTargets',
  'Preflight',
  'Approval',
  'Baseline',
  'InjectFault',
  'Reconcile',
  'StopFault',
  'Observe',
  'HoldForMitigation',
  'Evaluate',
  'Publish',
] as const;

export type TaskFunction = (typeof TASK_FUNCTIONS)[number];
