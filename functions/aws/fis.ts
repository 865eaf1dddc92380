// AWS FIS fault injector: starts the deployed experiment template (clientToken = run id, tagged with the run so
// FaultEnded can find it), reads and stops experiments, and reads external templates (`templateId`) back into the
// experiment file's template shape for the preflight checks.

import { createHash } from 'node:crypto';
import {
  type FisClient,
  type Experiment as FisExperiment,
  type ExperimentTemplate as FisTemplate,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListExperimentResolvedTargetsCommand,
  ListExperimentsCommand,
  StartExperimentCommand,
  StopExperimentCommand,
} from '@aws-sdk/client-fis';
import { OBSERVE_ACTION } from '../../core/experiment/patterns.js';
import { Template } from '../../core/experiment/schema.js';
import { messageFor } from '../../core/experiment/zod-issues.js';
import type {
  ExternalTemplate,
  FaultInjector,
  FaultState,
  ResolvedTarget,
  StartFaultRequest,
  TemplateReader,
} from '../../core/ports.js';
import { EXPERIMENT_TAG, RUN_TAG, STEP_TAG } from '../../core/run/lifecycle.js';

/** AWS needs a deployed template id to start an experiment; the request had none. */
export class TemplateIdRequiredError extends Error {
  override readonly name = 'Shaketable.TemplateIdRequired';
  constructor(readonly experiment: string) {
    super(
      `experiment "${experiment}" has no FIS template id: deploy the catalog (its id is read from /shaketable/catalog/${experiment}) or set fault.templateId`,
    );
  }
}

/** FIS answered without a field shaketable relies on. */
export class FisResponseError extends Error {
  override readonly name = 'Shaketable.FisResponse';
}

/** An external template does not fit the experiment file's template shape. */
export class ExternalTemplateInvalidError extends Error {
  override readonly name = 'Shaketable.ExternalTemplateInvalid';
  constructor(
    readonly templateId: string,
    detail: string,
  ) {
    super(`FIS template ${templateId} cannot be read as a shaketable template: ${detail}`);
  }
}

const NOT_STARTED = new Set(['pending', 'initiating', 'cancelled', 'skipped']);

/** FIS takes a client token of at most 64 characters; a longer run id (execution names go to 80) is hashed. */
export function clientTokenFor(runId: string): string {
  return runId.length <= 64 ? runId : createHash('sha256').update(runId).digest('hex');
}

/** FaultState from an FIS experiment. Status stays the open string FIS sent (it adds new ones, e.g. `cancelled`). */
export function toFaultState(experiment: FisExperiment | undefined): FaultState {
  if (!experiment?.id) throw new FisResponseError('FIS returned no experiment id');
  const status = experiment.state?.status as string | undefined;
  if (!status) throw new FisResponseError(`FIS returned no state for experiment ${experiment.id}`);
  const state: FaultState = { experimentId: experiment.id, status };
  if (experiment.state?.reason) state.reason = experiment.state.reason;
  if (experiment.startTime) state.startTime = experiment.startTime.getTime();
  if (experiment.endTime) state.endTime = experiment.endTime.getTime();
  const arns = Object.values(experiment.targets ?? {}).flatMap((t) => t.resourceArns ?? []);
  if (arns.length) state.targets = [...new Set(arns)];
  // Did any fault action start? (`failed` before any did = no target resolved, nothing injected: SKIPPED.) Our own
  // observe wait action says nothing about the fault, so it is left out.
  const actions = Object.entries(experiment.actions ?? {}).filter(([name]) => name !== OBSERVE_ACTION);
  if (actions.length) {
    state.actionsStarted = actions.some(([, a]) => !NOT_STARTED.has(String(a.state?.status ?? 'pending')));
  }
  // The run tag lets FaultEnded find the run even when its event beats InjectFault's pointer write.
  if (experiment.tags && Object.keys(experiment.tags).length) state.tags = { ...experiment.tags };
  return state;
}

const nonEmpty = <T>(items: T[] | undefined): T[] | undefined => (items?.length ? items : undefined);
const nonEmptyRecord = <T>(record: Record<string, T> | undefined) =>
  record && Object.keys(record).length ? record : undefined;

/**
 * An FIS template in the experiment file's `fault.template` shape (stop conditions as alarm ARNs), not yet
 * validated: `validateTemplate` below checks it against the experiment schema.
 */
export function templateShape(template: FisTemplate): unknown {
  const raw = {
    targets: Object.fromEntries(
      Object.entries(template.targets ?? {}).map(([name, t]) => [
        name,
        dropUndefined({
          resourceType: t.resourceType,
          resourceArns: nonEmpty(t.resourceArns),
          resourceTags: nonEmptyRecord(t.resourceTags),
          filters: nonEmpty(t.filters?.map((f) => ({ path: f.path, values: f.values ?? [] }))),
          parameters: nonEmptyRecord(t.parameters),
          selectionMode: t.selectionMode,
        }),
      ]),
    ),
    actions: Object.fromEntries(
      Object.entries(template.actions ?? {}).map(([name, a]) => [
        name,
        dropUndefined({
          actionId: a.actionId,
          description: a.description || undefined,
          parameters: nonEmptyRecord(a.parameters),
          targets: nonEmptyRecord(a.targets),
          startAfter: nonEmpty(a.startAfter),
        }),
      ]),
    ),
    // FIS uses source `none` for "no stop condition"; only CloudWatch alarms are stop conditions.
    stopConditions: nonEmpty(
      (template.stopConditions ?? [])
        .filter((s) => s.source === 'aws:cloudwatch:alarm' && s.value)
        .map((s) => s.value as string),
    ),
    experimentOptions: template.experimentOptions
      ? nonEmptyRecord(
          dropUndefined({
            accountTargeting: template.experimentOptions.accountTargeting,
            emptyTargetResolutionMode: template.experimentOptions.emptyTargetResolutionMode,
          }),
        )
      : undefined,
  };
  return dropUndefined(raw);
}

function dropUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

export class FisFaultInjector implements FaultInjector {
  constructor(private readonly fis: FisClient) {}

  /**
   * Starts the deployed template. The run id is the idempotency token, so a retried InjectFault gets the same
   * experiment back instead of a second fault. An external template's own id is used when the request has none.
   */
  async start(request: StartFaultRequest): Promise<FaultState> {
    const templateId = request.templateId ?? request.experiment.fault.templateId;
    if (!templateId) throw new TemplateIdRequiredError(request.experiment.name);
    const response = await this.fis.send(
      new StartExperimentCommand({
        experimentTemplateId: templateId,
        // Each step of a ramp is its own experiment: the step is part of the idempotency token.
        clientToken: clientTokenFor(
          request.step === undefined ? request.runId : `${request.runId}/step-${request.step}`,
        ),
        tags: {
          [RUN_TAG]: request.runId,
          [EXPERIMENT_TAG]: request.experiment.name,
          ...(request.step === undefined ? {} : { [STEP_TAG]: String(request.step) }),
        },
      }),
    );
    return toFaultState(response.experiment);
  }

  async get(experimentId: string): Promise<FaultState> {
    const response = await this.fis.send(new GetExperimentCommand({ id: experimentId }));
    return toFaultState(response.experiment);
  }

  async stop(experimentId: string): Promise<FaultState> {
    const response = await this.fis.send(new StopExperimentCommand({ id: experimentId }));
    return toFaultState(response.experiment);
  }

  /**
   * The experiment a run started, found by its `shaketable:run` tag when the ledger has no pointer to it (the
   * run died between StartExperiment and recording the id). ListExperiments cannot filter by tag in this API
   * version, so every page is read; should a run (a ramp's step) have started more than one (it cannot:
   * clientToken), the newest counts. The full state comes from GetExperiment.
   */
  async findByRun(runId: string, step?: number): Promise<FaultState | undefined> {
    let newest: { id: string; created: number } | undefined;
    let nextToken: string | undefined;
    do {
      const page = await this.fis.send(new ListExperimentsCommand({ maxResults: 100, nextToken }));
      for (const summary of page.experiments ?? []) {
        if (!summary.id || summary.tags?.[RUN_TAG] !== runId) continue;
        // A ramp's step: only that step's experiment (an untagged one belongs to no step).
        if (step !== undefined && summary.tags?.[STEP_TAG] !== String(step)) continue;
        const created = summary.creationTime?.getTime() ?? 0;
        if (!newest || created > newest.created) newest = { id: summary.id, created };
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return newest ? this.get(newest.id) : undefined;
  }

  /**
   * What the experiment hit: FIS's resolved targets (GetExperiment's `targets` echo the template's ARNs, all of
   * them for COUNT(1) and none for tag selection). Each carries `targetInformation`, the resource's ARN for most
   * types (pods: namespace and name).
   */
  async resolvedTargets(experimentId: string): Promise<ResolvedTarget[]> {
    const out: ResolvedTarget[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.fis.send(
        new ListExperimentResolvedTargetsCommand({ experimentId, maxResults: 100, nextToken }),
      );
      for (const t of page.resolvedTargets ?? []) {
        const info = t.targetInformation ?? {};
        const arn = info.arn ?? info.ARN ?? info.resourceArn;
        const resource =
          arn ??
          Object.entries(info)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => `${k}=${v}`)
            .join(', ');
        if (resource) out.push({ target: t.targetName ?? '', resourceType: t.resourceType ?? '', resource });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }
}

/** The deployed templates, read back from FIS and checked against the experiment schema (Load, the CLI). */
export class FisTemplates implements TemplateReader {
  constructor(private readonly fis: FisClient) {}

  async describe(templateId: string): Promise<ExternalTemplate> {
    const response = await this.fis.send(new GetExperimentTemplateCommand({ id: templateId }));
    const template = response.experimentTemplate;
    if (!template?.id) throw new FisResponseError(`FIS returned no template for ${templateId}`);
    return {
      id: template.id,
      tags: template.tags ?? {},
      template: validateTemplate(templateShape(template), template.id),
    };
  }
}

/** An external template's shape checked against the experiment schema; what is wrong, in one line. */
export function validateTemplate(raw: unknown, templateId: string): Template {
  const parsed = Template.safeParse(raw, { error: messageFor });
  if (!parsed.success) {
    throw new ExternalTemplateInvalidError(
      templateId,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}
