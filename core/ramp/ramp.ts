// A ramp (DESIGN §9): one run, several steps, each the same fault with a larger selection of the ramp target. The
// plan carries the steps and the one being run; every step of the workflow reads "this step" from here, so the
// state machine loops over its own states instead of copying them per step.
import type { Experiment } from '../experiment/schema.js';

export interface RampStepPlan {
  /** the ramp target's selection mode in this step, e.g. PERCENT(25) */
  selectionMode: string;
  /** this step's deployed FIS template (AWS: one template per step); absent in the sandbox */
  templateId?: string;
}

export interface RampPlan {
  /** the template target whose selectionMode each step replaces */
  target: string;
  steps: RampStepPlan[];
  /** 0-based position of the step being run */
  index: number;
}

/** The ramp of an experiment, at its first step; `templateIds` are the deployed templates, one per step (AWS). */
export function rampPlanOf(experiment: Experiment, templateIds?: readonly string[]): RampPlan | undefined {
  const ramp = experiment.fault.ramp;
  if (!ramp) return undefined;
  if (templateIds && templateIds.length !== ramp.steps.length) {
    throw new Error(
      `experiment "${experiment.name}": the catalog has ${templateIds.length} FIS template(s) for ${ramp.steps.length} ramp steps; redeploy the catalog`,
    );
  }
  return {
    target: ramp.target,
    steps: ramp.steps.map((selectionMode, i) => ({
      selectionMode,
      ...(templateIds?.[i] ? { templateId: templateIds[i] } : {}),
    })),
    index: 0,
  };
}

/** What the rest of a plan must have for the ramp helpers. */
interface RampHolder {
  ramp?: RampPlan;
  templateId?: string;
  definition: Experiment;
}

/** The step being run, 1-based as result.json counts it; undefined for a run that is not a ramp. */
export function stepNumber(plan: Pick<RampHolder, 'ramp'>): number | undefined {
  return plan.ramp ? plan.ramp.index + 1 : undefined;
}

/** The step being run (undefined for a run that is not a ramp). */
export function currentStep(plan: Pick<RampHolder, 'ramp'>): RampStepPlan | undefined {
  return plan.ramp?.steps[plan.ramp.index];
}

/** `step 2 of 3 (PERCENT(25))`: how reasons and events name a step. */
export function stepLabel(ramp: Pick<RampPlan, 'steps'>, index: number): string {
  return `step ${index + 1} of ${ramp.steps.length} (${ramp.steps[index]?.selectionMode})`;
}

/** The FIS template this step starts: the step's own for a ramp, the experiment's otherwise. */
export function stepTemplateId(plan: RampHolder): string | undefined {
  return currentStep(plan)?.templateId ?? plan.templateId;
}

/** The experiment as this step runs it: the ramp target's selectionMode replaced by the step's (what the sandbox starts). */
export function stepExperiment(plan: RampHolder): Experiment {
  const step = currentStep(plan);
  return step && plan.ramp ? withSelection(plan.definition, plan.ramp.target, step.selectionMode) : plan.definition;
}

/** The experiment with one target's selectionMode replaced (the CDK builds each step's template from it too). */
export function withSelection(experiment: Experiment, target: string, selectionMode: string): Experiment {
  const template = experiment.fault.template;
  const t = template?.targets[target];
  if (!template || !t) {
    throw new Error(`experiment "${experiment.name}": fault.ramp.target "${target}" is not a target of fault.template`);
  }
  return {
    ...experiment,
    fault: {
      ...experiment.fault,
      template: { ...template, targets: { ...template.targets, [target]: { ...t, selectionMode } } },
    },
  };
}

/**
 * The plan of the next step, or undefined after the last. Approval, when required, was given for the whole ramp
 * before its first step, so the next steps do not ask again.
 */
export function nextStepPlan<P extends RampHolder & { approvalRequired: boolean }>(plan: P): P | undefined {
  const ramp = plan.ramp;
  if (!ramp || ramp.index + 1 >= ramp.steps.length) return undefined;
  return { ...plan, approvalRequired: false, ramp: { ...ramp, index: ramp.index + 1 } };
}
