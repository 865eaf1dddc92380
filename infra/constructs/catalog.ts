// The deployed catalog (DESIGN §7): per experiment its FIS template (with the `observe` wait action, its own
// role, logs and report), the CloudWatch alarms compiled from `abortWhen`, an optional Scheduler schedule, and
// the SSM parameter `/shaketable/catalog/<name>` holding the ids only known after deploy.

import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { durationSeconds, secondsToIso } from '../../core/duration.js';
import { OBSERVE_ACTION } from '../../core/experiment/patterns.js';
import { OBSERVE_ACTION_RESERVED } from '../../core/experiment/rules/observe-action-name.js';
import { MAX_STOP_CONDITIONS } from '../../core/experiment/rules/stop-condition-count.js';
import type { Experiment, Threshold } from '../../core/experiment/schema.js';
import { type AlarmQuery, alarmQueries } from '../../core/expression/compile.js';
import { holidayTable } from '../../core/guardrails/date-holidays-calendar.js';
import { withSelection } from '../../core/ramp/ramp.js';
import { EXPERIMENT_TAG, STEP_TAG } from '../../core/run/lifecycle.js';
import { defaultMissing } from '../../core/steady-state/missing.js';
import { permissionsFor } from '../fis-permissions.js';
import { allow } from '../least-privilege.js';
import { CATALOG_PREFIX } from './results.js';

/** One validated catalog file. */
export interface CatalogExperiment {
  /** the file it came from, for messages (`experiments/x.yaml`) */
  file: string;
  experiment: Experiment;
}

/** Name of the wait action the CDK adds so the experiment, and its stop conditions, last at least `observe`. */
export { OBSERVE_ACTION };

/** Years of public holidays bundled after the current one (guardrails.holidays). */
export const HOLIDAY_YEARS_AHEAD = 2;

/** A catalog entry the CDK cannot deploy (validation normally catches these first). */
export class CatalogCompileError extends Error {
  override readonly name = 'Shaketable.CatalogCompile';
}

/** What the Load step and the grants need to know about one deployed experiment. */
export interface DeployedExperiment {
  name: string;
  /** the FIS template id: a token for owned templates, the `EXT…` id for existing ones */
  templateId: string;
  templateArn: string;
  /** names of the alarms compiled from abortWhen (also FIS stop conditions) */
  compiledAlarms: string[];
  parameter: ssm.StringParameter;
  /** the parameter's ARN, built from its literal name */
  parameterArn: string;
  template?: fis.CfnExperimentTemplate;
  /**
   * a ramp (fault.ramp): one template per step, in order, each with the ramp target's selectionMode replaced by the
   * step's and the same role and stop conditions; the first is `template`
   */
  stepTemplates?: fis.CfnExperimentTemplate[];
  role?: iam.Role;
}

export interface ExperimentCatalogProps {
  experiments: CatalogExperiment[];
  /** FIS experiment reports go to `fis-reports/<name>/` in this bucket */
  reportBucket: s3.IBucket;
}

export class ExperimentCatalog extends Construct {
  readonly deployed: DeployedExperiment[] = [];
  /** FIS experiment logs of every catalog experiment */
  readonly fisLogGroup: logs.LogGroup;
  /** the JSON bundled with the Load function: `{ version: 1, experiments: { <name>: Experiment } }` */
  readonly catalogJson: string;
  #scheduleGroup?: scheduler.CfnScheduleGroup;
  readonly #experiments: CatalogExperiment[];

  constructor(scope: Construct, id: string, props: ExperimentCatalogProps) {
    super(scope, id);
    this.#experiments = props.experiments;
    const stack = Stack.of(this);
    // The /aws/vendedlogs/ prefix keeps CloudWatch Logs from growing its resource policy per delivery source.
    this.fisLogGroup = new logs.LogGroup(this, 'FisLogs', {
      logGroupName: `/aws/vendedlogs/fis/${stack.stackName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
    });
    // FIS experiment logging is a CloudWatch Logs "vended log" delivery: the log group needs a resource policy
    // letting delivery.logs.amazonaws.com write to it. Granting it here, for this account's deliveries only, is
    // what lets the FIS roles do without logs:PutResourcePolicy (which has no resource type: any policy in the
    // account). https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
    this.fisLogGroup.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'FisExperimentLogDelivery',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${this.fisLogGroup.logGroupName}:log-stream:*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
        },
      }),
    );

    const byName = Object.fromEntries(
      [...props.experiments]
        .sort((a, b) => a.experiment.name.localeCompare(b.experiment.name))
        .map((c) => [c.experiment.name, c.experiment]),
    );
    // Public holidays are computed here, not in the Preflight Lambda: date-holidays with every country's rules and
    // the full time-zone database would add ~1.3 MB to its bundle. This year and the next two; a deploy refreshes.
    const year = new Date().getUTCFullYear();
    const codes = [...new Set(props.experiments.flatMap((c) => c.experiment.guardrails?.holidays ?? []))].sort();
    const holidays = Object.fromEntries(
      codes.map((code) => [code, holidayTable(code, year, year + HOLIDAY_YEARS_AHEAD)]),
    );
    this.catalogJson = `${JSON.stringify({ version: 1, experiments: byName, holidays }, null, 2)}\n`;

    for (const entry of props.experiments) {
      this.deployed.push(this.#deploy(entry, props.reportBucket));
    }
  }

  /** SSM parameter ARNs of every catalog entry (what Load may read). */
  get parameterArns(): string[] {
    return this.deployed.map((d) => d.parameterArn);
  }

  /** SSM Change Calendar document ARNs the experiments name (`guardrails.changeCalendar`: a name or an ARN). */
  get changeCalendarArns(): string[] {
    const stack = Stack.of(this);
    const names = this.#experiments.flatMap((c) => c.experiment.guardrails?.changeCalendar ?? []);
    return [...new Set(names)].map((name) =>
      name.startsWith('arn:') ? name : stack.formatArn({ service: 'ssm', resource: 'document', resourceName: name }),
    );
  }

  /**
   * The alarms whose history Evaluate reads (cloudwatch:DescribeAlarmHistory): each experiment's FIS stop conditions
   * (listed, and compiled from abortWhen) to tell a stop-condition stop from an operator's, and its expect.detect
   * alarms for time-to-detect. Evaluate asks by name in its own region, so a name becomes an alarm ARN of this stack's
   * account and region. An existing template's (`templateId`) stop conditions are only read from FIS at run time:
   * a catalog holding one gets every alarm of this account and region (`alarm:*`) instead.
   */
  get alarmHistoryArns(): string[] {
    const arn = (nameOrArn: string) => alarmArn(Stack.of(this), nameOrArn);
    if (this.#experiments.some((c) => c.experiment.fault.templateId !== undefined)) return [arn('*')];
    const names = [
      ...this.#experiments.flatMap((c) => [
        ...(c.experiment.fault.template?.stopConditions ?? []),
        ...(c.experiment.expect.detect?.alarms ?? []),
      ]),
      ...this.deployed.flatMap((d) => d.compiledAlarms),
    ];
    return [...new Set(names.map(arn))].sort();
  }

  /** CloudFormation stack ARNs the experiments name (`guardrails.deployments.stacks`), any stack id. */
  get deploymentStackArns(): string[] {
    const stack = Stack.of(this);
    const names = this.#experiments.flatMap((c) => c.experiment.guardrails?.deployments?.stacks ?? []);
    return [...new Set(names)].map((name) =>
      stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${name}/*` }),
    );
  }

  /** Template ARNs (owned and existing) the workflow may start. */
  get templateArns(): string[] {
    return this.deployed.flatMap((d) =>
      d.stepTemplates
        ? d.stepTemplates.map((t) =>
            Stack.of(this).formatArn({ service: 'fis', resource: 'experiment-template', resourceName: t.ref }),
          )
        : [d.templateArn],
    );
  }

  /**
   * Creates the EventBridge Scheduler schedules of the experiments that have one, targeting the state machine
   * (a separate step: the state machine is built after the catalog, whose template ids it is granted).
   */
  addSchedules(stateMachineArn: string, deadLetterQueue: sqs.IQueue): void {
    const scheduled = this.#experiments.filter((c) => c.experiment.schedule !== undefined);
    if (scheduled.length === 0) return;
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'SchedulerRole', {
      description: 'shaketable: lets EventBridge Scheduler start catalog experiments',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    allow(role, { actions: ['states:StartExecution'], resources: [stateMachineArn] });
    allow(role, { actions: ['sqs:SendMessage'], resources: [deadLetterQueue.queueArn] });
    for (const { experiment } of scheduled) {
      const schedule = experiment.schedule!;
      new scheduler.CfnSchedule(this, `Schedule-${experiment.name}`, {
        groupName: this.scheduleGroup.ref,
        description: `shaketable: ${experiment.name}`,
        scheduleExpression: schedule.expression,
        scheduleExpressionTimezone: schedule.timezone ?? 'UTC',
        state: schedule.enabled === false ? 'DISABLED' : 'ENABLED',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: stateMachineArn,
          roleArn: role.roleArn,
          input: JSON.stringify({ experiment: experiment.name, trigger: 'schedule' }),
          // A chaos experiment started late or twice is worse than one skipped: no retries; failures go to the DLQ.
          retryPolicy: { maximumRetryAttempts: 0 },
          deadLetterConfig: { arn: deadLetterQueue.queueArn },
        },
      });
    }
  }

  /** The schedule group of this stack's schedules (created on first use). */
  get scheduleGroup(): scheduler.CfnScheduleGroup {
    this.#scheduleGroup ??= new scheduler.CfnScheduleGroup(this, 'ScheduleGroup', {
      name: `${Stack.of(this).stackName}-experiments`,
    });
    return this.#scheduleGroup;
  }

  #deploy({ file, experiment }: CatalogExperiment, reportBucket: s3.IBucket): DeployedExperiment {
    const stack = Stack.of(this);
    const scope = new Construct(this, experiment.name);
    const templateArn = (id: string) =>
      stack.formatArn({ service: 'fis', resource: 'experiment-template', resourceName: id });
    const parameterName = `${CATALOG_PREFIX}/${experiment.name}`;
    const parameterArn = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: parameterName.slice(1),
    });

    if (experiment.fault.templateId !== undefined) {
      const templateId = experiment.fault.templateId;
      const parameter = new ssm.StringParameter(scope, 'Ids', {
        parameterName,
        description: `shaketable: deploy-time ids of ${experiment.name}`,
        stringValue: JSON.stringify({ templateId, compiledAlarms: [] }),
      });
      return {
        name: experiment.name,
        templateId,
        templateArn: templateArn(templateId),
        compiledAlarms: [],
        parameter,
        parameterArn,
      };
    }

    const template = experiment.fault.template;
    if (template === undefined) {
      throw new CatalogCompileError(`${file}  fault  needs template or templateId`);
    }

    const alarms = compileAbortAlarms(scope, file, experiment);
    const listed = (template.stopConditions ?? []).map((nameOrArn) => alarmArn(stack, nameOrArn));
    const stopConditionArns = [...listed, ...alarms.map((a) => a.alarmArn)];
    if (stopConditionArns.length > MAX_STOP_CONDITIONS) {
      throw new CatalogCompileError(
        `${file}  fault.template.stopConditions  ${stopConditionArns.length} stop conditions (listed + abortWhen), FIS allows at most ${MAX_STOP_CONDITIONS}`,
      );
    }

    if (template.actions[OBSERVE_ACTION] !== undefined) {
      throw new CatalogCompileError(`${file}  fault.template.actions.${OBSERVE_ACTION}  ${OBSERVE_ACTION_RESERVED}`);
    }
    const periodSeconds = durationSeconds(experiment.steadyState.period);
    const observe = experiment.fault.observe ?? secondsToIso(5 * periodSeconds);

    const role = new iam.Role(scope, 'FisRole', {
      description: `shaketable: FIS experiment role of ${experiment.name}, limited to its actions`,
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }) },
        },
      }),
    });
    for (const [actionName, action] of Object.entries(template.actions)) {
      const targets = Object.values(action.targets ?? {}).flatMap((targetName) => {
        const target = template.targets[targetName];
        return target ? [target] : [];
      });
      for (const permission of permissionsFor(
        scope,
        file,
        actionName,
        action.actionId,
        targets,
        action.parameters ?? {},
      )) {
        allow(role, permission);
      }
    }
    // Experiment logs to CloudWatch Logs are a "vended log" delivery that FIS sets up with the experiment role. The
    // log group's resource policy comes with the stack (above), so the role only creates the delivery and reads
    // that the policy is there; it never writes a resource policy.
    allow(role, {
      actions: ['logs:CreateLogDelivery', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
      resources: ['*'],
      because:
        'CloudWatch Logs vended-log delivery (FIS experiment logging): CreateLogDelivery and these two reads take no resource ARN',
    });
    const reportPrefix = `fis-reports/${experiment.name}`;
    allow(role, {
      actions: ['s3:PutObject', 's3:GetObject'],
      resources: [reportBucket.arnForObjects(`${reportPrefix}/*`)],
      because: 'FIS names each experiment report object itself, under this experiment\u2019s report prefix',
    });

    const tags: Record<string, string> = {
      ...(experiment.tags ?? {}),
      [EXPERIMENT_TAG]: experiment.name,
      Name: `shaketable-${experiment.name}`,
    };
    // A ramp gets one template per step, the ramp target's selectionMode replaced by the step's (DESIGN §9 Ramp).
    const ramp = experiment.fault.ramp;
    const steps = ramp
      ? ramp.steps.map((mode, i) => ({
          id: i === 0 ? 'Template' : `TemplateStep${i + 1}`,
          targets: withSelection(experiment, ramp.target, mode).fault.template?.targets ?? template.targets,
          about: ` (ramp step ${i + 1} of ${ramp.steps.length}: ${ramp.target} ${mode})`,
          tags: { [STEP_TAG]: String(i + 1) },
        }))
      : [{ id: 'Template', targets: template.targets, about: '', tags: {} }];
    const cfnTemplates = steps.map((step) => {
      const cfn = new fis.CfnExperimentTemplate(scope, step.id, {
        description:
          truncate(`shaketable ${experiment.name}: ${experiment.description}`, 512 - step.about.length) + step.about,
        roleArn: role.roleArn,
        tags: { ...tags, ...step.tags },
        targets: Object.fromEntries(
          Object.entries(step.targets).map(([name, t]) => [
            name,
            {
              resourceType: t.resourceType,
              selectionMode: t.selectionMode,
              ...(t.resourceArns ? { resourceArns: t.resourceArns } : {}),
              ...(t.resourceTags ? { resourceTags: t.resourceTags } : {}),
              ...(t.filters ? { filters: t.filters.map((f) => ({ path: f.path, values: f.values })) } : {}),
              ...(t.parameters ? { parameters: t.parameters } : {}),
            },
          ]),
        ),
        actions: {
          ...Object.fromEntries(
            Object.entries(template.actions).map(([name, a]) => [
              name,
              {
                actionId: a.actionId,
                ...(a.description ? { description: a.description } : {}),
                ...(a.parameters ? { parameters: a.parameters } : {}),
                ...(a.targets ? { targets: a.targets } : {}),
                ...(a.startAfter ? { startAfter: a.startAfter } : {}),
              },
            ]),
          ),
          // No startAfter: it runs beside the fault actions, so the experiment lasts at least `observe`.
          [OBSERVE_ACTION]: {
            actionId: 'aws:fis:wait',
            description: 'shaketable: keeps the stop conditions armed while the system reacts',
            parameters: { duration: observe },
          },
        },
        stopConditions:
          stopConditionArns.length > 0
            ? stopConditionArns.map((value) => ({ source: 'aws:cloudwatch:alarm', value }))
            : [{ source: 'none' }],
        ...(template.experimentOptions ? { experimentOptions: template.experimentOptions } : {}),
        logConfiguration: {
          logSchemaVersion: 2,
          cloudWatchLogsConfiguration: {
            // FIS wants the log group ARN without the trailing `:*` that CloudFormation's Arn attribute has.
            LogGroupArn: stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: this.fisLogGroup.logGroupName,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
        experimentReportConfiguration: {
          outputs: { experimentReportS3Configuration: { bucketName: reportBucket.bucketName, prefix: reportPrefix } },
        },
      });
      // Created after its role's policy (the role itself is already referenced by roleArn: no DependsOn on it).
      cfn.node.addDependency(role.node.tryFindChild('DefaultPolicy') ?? role);
      return cfn;
    });
    const cfnTemplate = cfnTemplates[0] as fis.CfnExperimentTemplate;

    // Literal names (not the alarms' Ref tokens): Load joins them to the experiment without a lookup.
    const compiledAlarms = Object.keys(experiment.guardrails?.abortWhen ?? {}).map((probe) =>
      abortAlarmName(stack.stackName, experiment.name, probe),
    );
    const parameter = new ssm.StringParameter(scope, 'Ids', {
      parameterName,
      description: `shaketable: deploy-time ids of ${experiment.name}`,
      stringValue: stack.toJsonString({
        templateId: cfnTemplate.ref,
        compiledAlarms,
        ...(ramp ? { stepTemplateIds: cfnTemplates.map((t) => t.ref) } : {}),
      }),
    });
    return {
      name: experiment.name,
      templateId: cfnTemplate.ref,
      templateArn: templateArn(cfnTemplate.ref),
      compiledAlarms,
      parameter,
      parameterArn,
      template: cfnTemplate,
      ...(ramp ? { stepTemplates: cfnTemplates } : {}),
      role,
    };
  }
}

/** The physical name of the alarm compiled from `abortWhen.<probe>` (known at synth, so Load can name it). */
export function abortAlarmName(stackName: string, experiment: string, probe: string): string {
  return `${stackName}-${experiment}-abort-${probe}`;
}

const TREAT_MISSING = {
  zero: cloudwatch.TreatMissingData.NOT_BREACHING,
  breach: cloudwatch.TreatMissingData.BREACHING,
  ignore: cloudwatch.TreatMissingData.MISSING,
} as const;

/** `abortWhen` → one CloudWatch alarm per probe: above `max` (or below `min`) for `for` consecutive periods. */
export function compileAbortAlarms(scope: Construct, file: string, experiment: Experiment): cloudwatch.Alarm[] {
  const abortWhen = experiment.guardrails?.abortWhen ?? {};
  const stackName = Stack.of(scope).stackName;
  const periodSeconds = durationSeconds(experiment.steadyState.period);
  return Object.entries(abortWhen).map(([probeName, threshold]) => {
    const probe = experiment.steadyState.probes[probeName];
    if (probe === undefined) {
      throw new CatalogCompileError(`${file}  guardrails.abortWhen.${probeName}  unknown probe "${probeName}"`);
    }
    return new cloudwatch.Alarm(scope, `Abort-${probeName}`, {
      alarmName: abortAlarmName(stackName, experiment.name, probeName),
      alarmDescription: `shaketable ${experiment.name}: FIS stop condition compiled from guardrails.abortWhen.${probeName}`,
      metric: alarmMetric(alarmQueries(experiment.steadyState.probes, probeName, periodSeconds), periodSeconds),
      ...thresholdOf(threshold),
      evaluationPeriods: threshold.for,
      datapointsToAlarm: threshold.for,
      treatMissingData: TREAT_MISSING[defaultMissing(probe)],
    });
  });
}

function thresholdOf(t: Threshold): { threshold: number; comparisonOperator: cloudwatch.ComparisonOperator } {
  // Tolerances are inclusive bounds, so the alarm fires strictly beyond them.
  if (t.max !== undefined)
    return { threshold: t.max, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD };
  return { threshold: t.min!, comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD };
}

/**
 * The CDK metric of an alarm planned by core's alarm compiler (core/expression/compile.ts, which validation's
 * abort-when-alarm rule reads too): each query in order, an expression using the metrics built before it.
 */
function alarmMetric(queries: readonly AlarmQuery[], periodSeconds: number): cloudwatch.IMetric {
  const period = Duration.seconds(periodSeconds);
  const built = new Map<string, cloudwatch.IMetric>();
  for (const query of queries) {
    if ('metric' in query) {
      const m = query.metric;
      built.set(
        query.id,
        new cloudwatch.Metric({
          namespace: m.namespace,
          metricName: m.name,
          statistic: m.stat,
          period,
          ...(m.dimensions ? { dimensionsMap: m.dimensions } : {}),
          ...(m.unit ? { unit: m.unit as cloudwatch.Unit } : {}),
        }),
      );
    } else {
      built.set(
        query.id,
        new cloudwatch.MathExpression({
          expression: query.expression,
          usingMetrics: Object.fromEntries(query.uses.map((id) => [id, built.get(id)!])),
          period,
          ...(query.label !== undefined ? { label: query.label } : {}),
        }),
      );
    }
  }
  return built.get(queries.at(-1)!.id)!;
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** A CloudWatch alarm named in an experiment, as an ARN of this stack's account and region (an ARN stays as it is). */
function alarmArn(stack: Stack, nameOrArn: string): string {
  return nameOrArn.startsWith('arn:')
    ? nameOrArn
    : stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: nameOrArn,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
}
