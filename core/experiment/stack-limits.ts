// What a deployed catalog costs of its one CloudFormation stack (DESIGN §7), so `validate <folder>` and synth refuse
// a catalog CloudFormation would refuse, with one line, instead of a CDK stack trace at synth or a failed deploy.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html (500 resources per
// stack; template body 1 MB when passed through S3, as the CDK does for every template over 50 KB).

import { durationSeconds } from '../duration.js';
import { alarmQueries } from '../expression/compile.js';
import { fisAction } from '../fis/actions.js';
import type { Experiment } from './schema.js';

export const MAX_STACK_RESOURCES = 500;
/** The CDK's own bound (TEMPLATE_BODY_MAXIMUM_SIZE in aws-cdk-lib's Stack), in bytes of the minified template. */
export const MAX_TEMPLATE_BYTES = 1_000_000;

/**
 * What the stack holds with an empty catalog: the workflow's functions, roles and log groups, the bucket, table,
 * topic, dashboard and alarms. Measured at 100 resources and 98 KB (2026-12-07) and kept with headroom for the
 * orchestrator's growth; test/infra/stack-limits.test.ts fails when the real stack outgrows either.
 */
export const ORCHESTRATOR_RESOURCES = 115;
export const ORCHESTRATOR_BYTES = 130_000;

/**
 * CloudFormation resources one catalog experiment adds (infra/constructs/catalog.ts): its SSM ids parameter; for an
 * owned template the template (one per step of a ramp), its FIS role and the role's policy; one alarm per
 * `abortWhen` probe; a schedule.
 */
export function experimentResources(experiment: Experiment): number {
  const owned = experiment.fault.templateId === undefined ? 2 + templatesOf(experiment) : 0;
  const alarms = Object.keys(experiment.guardrails?.abortWhen ?? {}).length;
  return 1 + owned + alarms + (experiment.schedule ? 1 : 0);
}

/** Resources the catalog adds once: the Scheduler role and its policy, with the first schedule. */
const SCHEDULER_RESOURCES = 2;
/**
 * The CDK moves a role's policy over IAM's 10,240-character inline quota into managed "overflow" policies of 6,144
 * characters, one more resource each. The roles listing every template and parameter ARN (Load, InjectFault) need
 * three per 100 experiments between them (measured); counted as one per 25.
 */
const EXPERIMENTS_PER_OVERFLOW_POLICY = 25;

/**
 * An upper bound of the minified template bytes one experiment adds: the FIS template (its own targets and actions
 * plus ~1.5 KB of logging, report and tag settings), the role and its policy (from the action table's
 * permissions), the ids parameter, its ARNs in the workflow's grants, each compiled alarm (its metric queries) and
 * the schedule. Calibrated against synthesized stacks of every starter (test/infra/stack-limits.test.ts).
 */
export function experimentTemplateBytes(experiment: Experiment): number {
  const parameterAndGrants = 1_000;
  const schedule = experiment.schedule ? 800 : 0;
  const template = experiment.fault.template;
  if (template === undefined) return parameterAndGrants + schedule;
  // One FIS template per ramp step, each also granted to the workflow by its ARN.
  const fisTemplate =
    (1_800 + JSON.stringify(template).length + experiment.description.length) * templatesOf(experiment);
  // The role and its policy: one statement per permission of each action, its resources and conditions.
  const permissions = Object.values(template.actions).flatMap(
    (action) => fisAction(action.actionId)?.permissions ?? [],
  );
  const role = 1_100 + permissions.reduce((bytes, permission) => bytes + 150 + 35 * permission.actions.length, 0);
  const periodSeconds = durationSeconds(experiment.steadyState.period);
  const alarms = Object.keys(experiment.guardrails?.abortWhen ?? {}).reduce(
    (bytes, probe) =>
      bytes + 600 + 2 * JSON.stringify(alarmQueries(experiment.steadyState.probes, probe, periodSeconds)).length,
    0,
  );
  return parameterAndGrants + schedule + fisTemplate + role + alarms;
}

/** The FIS templates an owned experiment deploys: one, or one per step of its ramp. */
function templatesOf(experiment: Experiment): number {
  return experiment.fault.ramp ? Math.max(1, experiment.fault.ramp.steps.length) : 1;
}

export interface CatalogFootprint {
  resources: number;
  bytes: number;
}

/** The stack's estimated resources and template bytes with these experiments deployed (each an upper bound). */
export function catalogFootprint(experiments: readonly Experiment[]): CatalogFootprint {
  return footprints(experiments).at(-1) ?? { resources: ORCHESTRATOR_RESOURCES, bytes: ORCHESTRATOR_BYTES };
}

/** The footprint with the first 1, 2, … n experiments deployed, computed once per experiment. */
function footprints(experiments: readonly Experiment[]): CatalogFootprint[] {
  let experimentsResources = 0;
  let bytes = ORCHESTRATOR_BYTES;
  let scheduled = false;
  return experiments.map((experiment, index) => {
    experimentsResources += experimentResources(experiment);
    bytes += experimentTemplateBytes(experiment);
    scheduled ||= experiment.schedule !== undefined;
    const resources =
      ORCHESTRATOR_RESOURCES +
      (scheduled ? SCHEDULER_RESOURCES : 0) +
      Math.ceil((index + 1) / EXPERIMENTS_PER_OVERFLOW_POLICY) +
      experimentsResources;
    return { resources, bytes };
  });
}

/**
 * The first experiment (by its index in `experiments`, the catalog's file order) with which the stack would exceed
 * a CloudFormation limit, and the message to report at its `name`; undefined when the whole catalog fits.
 */
export function stackLimitExceeded(experiments: readonly Experiment[]): { index: number; message: string } | undefined {
  const fix =
    'deploy fewer experiments from this catalog (one stack holds them all; an experiment with fault.templateId costs 1 resource)';
  const all = footprints(experiments);
  const index = all.findIndex(({ resources, bytes }) => resources > MAX_STACK_RESOURCES || bytes > MAX_TEMPLATE_BYTES);
  if (index < 0) return undefined;
  const { resources, bytes } = all[index]!;
  const position = `with this experiment (${index + 1} of ${experiments.length} deployed)`;
  const message =
    resources > MAX_STACK_RESOURCES
      ? `the catalog needs about ${resources} CloudFormation resources ${position}, over CloudFormation's ${MAX_STACK_RESOURCES} per stack: ${fix}`
      : `the catalog's CloudFormation template reaches about ${(bytes / 1_000_000).toFixed(2)} MB ${position}, over CloudFormation's 1 MB per template: ${fix}`;
  return { index, message };
}
