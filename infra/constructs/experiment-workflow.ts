// The orchestrator (DESIGN §1, §7): the Step Functions state machine from statemachines/experiment.asl.json,
// one NodejsFunction per Task state plus FaultEnded and the Janitor, the events that wake them, and exactly the
// permissions each one needs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, Stack, Stage } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CHART_LIBRARY_FILES, chartLibraryDir } from '../../core/report/chart-library.js';
import { RUN_TAG } from '../../core/run/lifecycle.js';
import { TASK_FUNCTIONS } from '../../core/steps/task-functions.js';
import { acknowledge, allow, type Permission } from '../least-privilege.js';
import type { ExperimentCatalog } from './catalog.js';
import { CATALOG_PREFIX, HALT_PARAMETER, type Results, RUN_TABLE_KEYS } from './results.js';

/** The FIS service principal, also the name of its service-linked role's service. */
const FIS_SERVICE = 'fis.amazonaws.com';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ASL_FILE = join(ROOT, 'statemachines', 'experiment.asl.json');

/** Handlers woken by events rather than by the state machine. */
export const EVENT_HANDLERS = ['FaultEnded', 'Janitor'] as const;
export type HandlerName = (typeof TASK_FUNCTIONS)[number] | (typeof EVENT_HANDLERS)[number];

/** `InjectFault` → `functions/inject-fault.ts`: the state name, the file and the step share one name. */
export function handlerEntry(name: HandlerName): string {
  const file = name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  return join(ROOT, 'functions', `${file}.ts`);
}

/** The state machine's fixed name: the examples' IAM policies name it. */
export function stateMachineNameOf(stackName: string): string {
  return `${stackName}-experiment`;
}

/** Where the Load function finds the bundled catalog at run time (the bundle's root is /var/task). */
export const CATALOG_FILE = '/var/task/catalog.json';
/** The functions that render report.html, and so get uPlot's files beside their bundle. */
export const CHART_LIBRARY_HANDLERS = ['Publish', 'Janitor'] as const satisfies readonly HandlerName[];
/** Where Publish and the Janitor find uPlot's files at run time. */
export const CHART_LIBRARY_DIR = '/var/task/uplot';

/** Shell commands copying uPlot's files (CHART_LIBRARY_FILES of the installed package) into `output/uplot`. */
export function chartLibraryCopy(output: string): string[] {
  const from = chartLibraryDir({});
  return CHART_LIBRARY_FILES.map((file) => {
    const to = join(output, 'uplot', file);
    return `mkdir -p "${dirname(to)}" && cp "${join(from, file)}" "${to}"`;
  });
}

export interface ExperimentWorkflowProps {
  results: Results;
  catalog: ExperimentCatalog;
  /** dead-letter queue for the events and schedules that could not reach their target */
  deadLetterQueue: sqs.IQueue;
  /** log retention of every function and of the state machine (default one month) */
  logRetention?: logs.RetentionDays;
}

export class ExperimentWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: Record<HandlerName, nodejs.NodejsFunction>;
  /** the state machine's ARN built from its fixed name, so functions can name it without a dependency cycle */
  readonly stateMachineArn: string;

  constructor(scope: Construct, id: string, props: ExperimentWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { results, catalog } = props;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const stateMachineName = stateMachineNameOf(stack.stackName);
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const catalogFile = writeCatalogFile(this, catalog.catalogJson);
    const environment = {
      RESULTS_BUCKET: results.bucket.bucketName,
      TOPIC_ARN: results.topic.topicArn,
      RUN_TABLE: results.table.tableName,
      HALT_PARAMETER,
      CATALOG_PREFIX,
      POWERTOOLS_SERVICE_NAME: 'shaketable',
      NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
    };

    const fn = (name: HandlerName, extra: Partial<nodejs.NodejsFunctionProps> = {}) => {
      const renderCharts = (CHART_LIBRARY_HANDLERS as readonly string[]).includes(name);
      const role = new iam.Role(this, `${name}Role`, {
        description: `shaketable ${name}: only what this step needs`,
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      });
      const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention });
      allow(role, { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] });
      const f = new nodejs.NodejsFunction(this, name, {
        entry: handlerEntry(name),
        handler: 'handler',
        projectRoot: ROOT,
        depsLockFilePath: join(ROOT, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 512,
        timeout: Duration.seconds(50),
        tracing: lambda.Tracing.ACTIVE,
        role,
        logGroup,
        // The functions that render report.html get uPlot's files beside their bundle (core/report/chart-library.ts):
        // the page inlines them and the function never runs them, so they stay out of the code loaded at cold start.
        ...(renderCharts
          ? { environment: { ...environment, CHART_LIBRARY_DIR }, bundling: bundling(chartLibraryCopy) }
          : { environment, bundling: bundling() }),
        ...extra,
      });
      // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource type.
      acknowledge(
        role,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) takes no resource ARN',
      );
      return f;
    };

    this.functions = {
      Load: fn('Load', {
        // The validated catalog travels inside the Load bundle: a caller can only name an experiment in it.
        bundling: bundling((output) => [`cp "${catalogFile}" "${join(output, 'catalog.json')}"`]),
        environment: { ...environment, CATALOG_FILE },
      }),
      ResolveTargets: fn('ResolveTargets'),
      Preflight: fn('Preflight'),
      Approval: fn('Approval'),
      Baseline: fn('Baseline'),
      InjectFault: fn('InjectFault'),
      Reconcile: fn('Reconcile'),
      StopFault: fn('StopFault'),
      Observe: fn('Observe'),
      HoldForMitigation: fn('HoldForMitigation'),
      Evaluate: fn('Evaluate'),
      Publish: fn('Publish', { memorySize: 1024 }),
      FaultEnded: fn('FaultEnded', { timeout: Duration.seconds(30) }),
      Janitor: fn('Janitor', { timeout: Duration.minutes(2) }),
    };

    // ---- permissions, step by step -------------------------------------------------------------------------
    const table = results.table.tableArn;
    const indexes = [RUN_TABLE_KEYS.byFaultIndex, RUN_TABLE_KEYS.byStatusIndex, RUN_TABLE_KEYS.byExperimentIndex].map(
      (index) => `${table}/index/${index}`,
    );
    const runTable: Permission = {
      actions: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:Query',
        'dynamodb:ConditionCheckItem',
      ],
      resources: [table, ...indexes],
    };
    // The run's own item, read and updated: Evaluate closes the run to acks and reads them (a ramp's steps before its
    // last only read them); HoldForMitigation stores its token and reads the acks back.
    const runItem: Permission = { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [table] };
    const resultObjects: Permission = {
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [results.bucket.arnForObjects('runs/*')],
      because: 'each run writes and reads its own objects under runs/<experiment>/<date>/<runId>/',
    };
    const notify: Permission[] = [
      { actions: ['sns:Publish'], resources: [results.topic.topicArn] },
      { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [results.topicKey.keyArn] },
    ];
    const killSwitch: Permission = { actions: ['ssm:GetParameter'], resources: [results.haltParameter.parameterArn] };
    const alarmStates: Permission = {
      actions: ['cloudwatch:DescribeAlarms'],
      resources: ['*'],
      because: 'guardrail alarms are named in experiment files and may live anywhere in the account; a read',
    };
    // Only the alarms the catalog's experiments name (stop conditions, abortWhen, expect.detect): see alarmHistoryArns.
    const alarmHistory: Permission[] =
      catalog.alarmHistoryArns.length > 0
        ? [
            {
              actions: ['cloudwatch:DescribeAlarmHistory'],
              resources: catalog.alarmHistoryArns,
              because:
                'tells a stop-condition stop from an operator stop and measures time-to-detect of expect.detect alarms by reading their history; an existing FIS template (templateId) names its stop-condition alarms only at run time, so a catalog holding one reads any alarm of this account and region; a read',
            },
          ]
        : [];
    const metricData: Permission = {
      actions: ['cloudwatch:GetMetricData'],
      resources: ['*'],
      because: 'GetMetricData has no resource type (probes read any namespace); a read',
    };
    const experimentsArn = stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' });
    const startFault: Permission[] = [
      {
        actions: ['fis:StartExperiment'],
        resources: [...catalog.templateArns, experimentsArn],
        because: 'StartExperiment also authorizes the experiment it creates, whose id is only known then',
      },
      {
        actions: ['fis:TagResource'],
        resources: [experimentsArn],
        because: 'the run tags the experiment it starts; its id is only known then',
      },
    ];
    // The first StartExperiment in an account creates FIS's service-linked role (AWSServiceRoleForFIS).
    const fisServiceLinkedRole: Permission = {
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        stack.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: `aws-service-role/${FIS_SERVICE}/AWSServiceRoleForFIS`,
        }),
      ],
      conditions: { StringEquals: { 'iam:AWSServiceName': FIS_SERVICE } },
    };
    // Every experiment a run starts carries its run tag (StartExperiment's tags); the experiment resource type
    // supports aws:ResourceTag, so reads and stops are limited to experiments shaketable started.
    const runTagged = { Null: { [`aws:ResourceTag/${RUN_TAG}`]: 'false' } };
    const readFault: Permission = {
      actions: ['fis:GetExperiment'],
      resources: [experimentsArn],
      conditions: runTagged,
      because: 'reads the FIS experiment of a run (tagged shaketable:run); experiment ids are created at start',
    };
    // FaultEnded is woken by every FIS experiment of the account and tells its own from the others by their tags,
    // so it reads untagged experiments too.
    const readAnyFault: Permission = {
      actions: ['fis:GetExperiment'],
      resources: [experimentsArn],
      because: 'FaultEnded reads the tags of any FIS experiment whose state changes to tell the runs’ own; a read',
    };
    const stopFaultPermission: Permission = {
      actions: ['fis:StopExperiment', 'fis:GetExperiment'],
      resources: [experimentsArn],
      conditions: runTagged,
      because: 'stops the FIS experiment of a run (tagged shaketable:run); experiment ids are created at start',
    };
    // FaultInjector.findByRun: the fault a run started, by its tag, when the ledger's pointer was never written.
    const findFault: Permission = {
      actions: ['fis:ListExperiments'],
      resources: ['*'],
      because: 'finds a run’s FIS experiment by its shaketable:run tag; ListExperiments takes no resource ARN',
    };
    const describeTemplates: Permission = {
      actions: ['fis:GetExperimentTemplate'],
      resources: catalog.templateArns.length > 0 ? catalog.templateArns : [experimentsArn],
      because: 'Load reads each run’s template back from FIS: its tag, targets and stop conditions',
    };
    const poolReads = (actions: string[]): Permission => ({
      actions,
      resources: ['*'],
      because:
        'blast radius: the eligible pool is resolved by tags and filters through List/Describe reads that take no resource ARN',
    });
    const resolveTargets: Permission[] = [
      poolReads([
        'ec2:DescribeInstances',
        'ec2:DescribeSubnets',
        'ec2:DescribeVolumes',
        'ec2:DescribeTransitGateways',
        'ec2:DescribeVpcEndpoints',
        'ec2:DescribeAvailabilityZones',
        'ecs:ListClusters',
        'ecs:ListTasks',
        'ecs:DescribeTasks',
        'lambda:ListFunctions',
        'rds:DescribeDBClusters',
        'rds:DescribeDBInstances',
        'tag:GetResources',
      ]),
      {
        actions: ['lambda:GetFunction'],
        resources: [
          stack.formatArn({
            service: 'lambda',
            resource: 'function',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
        because: 'blast radius of Lambda targets: reads the tags of candidate functions chosen by tags; a read',
      },
      {
        actions: ['ecs:DescribeClusters'],
        resources: [stack.formatArn({ service: 'ecs', resource: 'cluster', resourceName: '*' })],
        because: 'blast radius of ECS cluster targets: their status, tags and the fields filters name; a read',
      },
      {
        actions: ['dynamodb:DescribeTable'],
        resources: [stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*' })],
        because: 'blast radius of DynamoDB global-table targets: replicas and the fields filters name; a read',
      },
      {
        actions: ['elasticache:DescribeReplicationGroups', 'elasticache:ListTagsForResource'],
        resources: [
          stack.formatArn({
            service: 'elasticache',
            resource: 'replicationgroup',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
        because: 'blast radius of ElastiCache targets: node AZs and tags of replication groups; reads',
      },
    ];
    const resolvedTargets: Permission = {
      actions: ['fis:ListExperimentResolvedTargets'],
      resources: [experimentsArn],
      because: 'result.json records what the experiment hit, as FIS resolved it',
    };
    const catalogIds: Permission = {
      actions: ['ssm:GetParameter'],
      resources: catalog.parameterArns.length > 0 ? catalog.parameterArns : [results.haltParameter.parameterArn],
    };
    // Change freezes (guardrails.changeCalendar, guardrails.deployments): only the calendars and stacks the catalog
    // names, and nothing when it names none.
    const freezes: Permission[] = [
      ...(catalog.changeCalendarArns.length > 0
        ? [{ actions: ['ssm:GetCalendarState'], resources: catalog.changeCalendarArns }]
        : []),
      ...(catalog.deploymentStackArns.length > 0
        ? [
            {
              actions: ['cloudformation:DescribeStacks'],
              resources: catalog.deploymentStackArns,
              because: 'a stack ARN ends in the stack id, unknown until the named stack is created; reads',
            },
          ]
        : []),
    ];
    const taskResponse: Permission = {
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      resources: [this.stateMachineArn],
    };

    // What each handler's adapters call (functions/<step>.ts → functions/aws/wiring.ts), and nothing more.
    const grants: Record<HandlerName, Permission[]> = {
      Load: [catalogIds, runTable, describeTemplates],
      ResolveTargets: resolveTargets,
      Preflight: [killSwitch, alarmStates, runTable, ...freezes],
      Approval: [runTable, ...notify],
      Baseline: [metricData],
      InjectFault: [
        killSwitch,
        alarmStates,
        ...freezes,
        ...startFault,
        fisServiceLinkedRole,
        readFault,
        findFault,
        runTable,
        taskResponse,
      ],
      Reconcile: [readFault, runTable],
      StopFault: [stopFaultPermission, findFault, runTable],
      Observe: [metricData],
      HoldForMitigation: [runItem, taskResponse],
      Evaluate: [...alarmHistory, resolvedTargets, runItem],
      Publish: [resultObjects, runTable, ...notify],
      FaultEnded: [readAnyFault, runTable, taskResponse],
      Janitor: [stopFaultPermission, findFault, runTable, resultObjects],
    };
    for (const [name, permissions] of Object.entries(grants) as Array<[HandlerName, Permission[]]>) {
      const role = this.functions[name].role;
      if (!(role instanceof iam.Role)) throw new Error(`${name} has no role of its own`);
      for (const permission of permissions) allow(role, permission);
    }

    // ---- the state machine ---------------------------------------------------------------------------------
    const definitionSubstitutions = Object.fromEntries(
      TASK_FUNCTIONS.map((name) => [`${name}FunctionArn`, this.functions[name].functionArn]),
    );
    const stateMachineLogs = new logs.LogGroup(this, 'StateMachineLogs', {
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      // fromString, not fromFile: the definition goes inline into the template, so its substitutions are checked here.
      definitionBody: sfn.DefinitionBody.fromString(readFileSync(ASL_FILE, 'utf8')),
      definitionSubstitutions,
      tracingEnabled: true,
      // Task tokens and payloads stay out of the logs; the run's data lives in S3 and DynamoDB.
      logs: { destination: stateMachineLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    allow(this.stateMachine, {
      actions: ['lambda:InvokeFunction'],
      resources: TASK_FUNCTIONS.map((name) => this.functions[name].functionArn),
    });
    acknowledge(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:CreateLogDelivery…) and X-Ray (PutTraceSegments…) take no resource ARN',
    );

    // ---- events --------------------------------------------------------------------------------------------
    // FIS's own state-change event wakes the waiting InjectFault task (best effort; Reconcile covers a lost one).
    new events.Rule(this, 'FaultStateChange', {
      description: 'shaketable: FIS experiment state changes wake the waiting run',
      eventPattern: { source: ['aws.fis'], detailType: ['FIS Experiment State Change'] },
      targets: [
        new targets.LambdaFunction(this.functions.FaultEnded, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
    new events.Rule(this, 'RunAbortedOrTimedOut', {
      description: 'shaketable: an aborted or timed-out run gets its fault stopped and an ERROR result',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        // FAILED too: an execution that failed outside the workflow's own Catch (payload too large, a runtime error)
        // has no result yet; runs that do are left alone by the Janitor.
        detail: { stateMachineArn: [this.stateMachineArn], status: ['ABORTED', 'TIMED_OUT', 'FAILED'] },
      },
      targets: [
        new targets.LambdaFunction(this.functions.Janitor, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });

    // Events are best effort: every 5 minutes the Janitor also sweeps runs still marked RUNNING.
    const sweepRole = new iam.Role(this, 'SweepRole', {
      description: 'shaketable: lets EventBridge Scheduler invoke the Janitor sweep',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    allow(sweepRole, { actions: ['lambda:InvokeFunction'], resources: [this.functions.Janitor.functionArn] });
    allow(sweepRole, { actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] });
    new scheduler.CfnSchedule(this, 'JanitorSweep', {
      groupName: catalog.scheduleGroup.ref,
      description: 'shaketable: sweep runs still marked RUNNING',
      scheduleExpression: 'rate(5 minutes)',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.functions.Janitor.functionArn,
        roleArn: sweepRole.roleArn,
        input: JSON.stringify({ sweep: true }),
        retryPolicy: { maximumRetryAttempts: 0 },
        deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
      },
    });
  }
}

/**
 * esbuild options shared by every handler (bench/bundles.ts builds with these too). The source map lies beside the
 * bundle, without the sources: Node maps stack traces with it (NODE_OPTIONS below).
 */
export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node22',
  format: nodejs.OutputFormat.ESM,
  mainFields: ['module', 'main'],
  // Pinned SDK versions, the ones the adapters are tested with, rather than whatever the runtime ships.
  bundleAwsSDK: true,
  // Some CommonJS dependencies call require(); an ESM bundle needs it defined.
  banner:
    "import { createRequire as __shaketableRequire } from 'node:module';const require = __shaketableRequire(import.meta.url);",
} as const satisfies nodejs.BundlingOptions;

/** Stack traces in the logs name the TypeScript sources, through the map beside each bundle. */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/** The bundling options of every handler; `afterBundling` adds files to the bundle directory. */
function bundling(afterBundling?: (outputDir: string) => string[]): nodejs.BundlingOptions {
  return {
    ...LAMBDA_BUNDLING,
    ...(afterBundling
      ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) => afterBundling(outputDir),
          },
        }
      : {}),
  };
}

/** Writes the compiled catalog into the cloud assembly directory, where the Load function's bundling picks it up. */
function writeCatalogFile(scope: Construct, json: string): string {
  const outdir = Stage.of(scope)?.outdir;
  if (outdir === undefined) throw new Error('the catalog needs an App (or Stage) to write catalog.json into');
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, `${Stack.of(scope).stackName}.catalog.json`);
  writeFileSyncIfChanged(file, json);
  return file;
}

function writeFileSyncIfChanged(file: string, content: string): void {
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (current !== content) writeFileSync(file, content);
}
