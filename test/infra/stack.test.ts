// Assertions on what the synthesized stack deploys: least privilege, encryption and TLS, the FIS templates and
// their stop conditions, the compiled abortWhen alarms, schedules, the catalog parameters and the ASL wiring.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChartLibrary } from '../../core/report/chart-library.js';
import { TASK_FUNCTIONS } from '../../core/steps/task-functions.js';
import { ASL_FILE, CHART_LIBRARY_DIR, chartLibraryCopy } from '../../infra/constructs/experiment-workflow.js';
import { FIXTURES, flat, iamStatements, ids, type Synthesized, synthCatalog } from './synth.js';

let s: Synthesized;
beforeAll(() => {
  s = synthCatalog(join(FIXTURES, 'catalog-basic'));
});
afterAll(() => s.cleanup());

const props = (type: string, prefix = '') =>
  ids(s.json, type, prefix).map((id) => s.json.Resources[id]!.Properties as Record<string, unknown>);
const one = (type: string, prefix = '') => {
  const all = props(type, prefix);
  expect(all).toHaveLength(1);
  return all[0]!;
};
const allows = () => iamStatements(s.json).filter((st) => st.effect === 'Allow');

describe('least privilege', () => {
  it('grants no IAM action with a wildcard', () => {
    const wild = allows().flatMap((st) => st.actions.filter((a) => a.includes('*')).map((a) => `${st.role}: ${a}`));
    expect(wild).toEqual([]);
  });

  it('uses Resource * only for reads and calls that have no resource type', () => {
    const permitted = new Set([
      'cloudwatch:GetMetricData',
      'cloudwatch:DescribeAlarms',
      'ec2:DescribeInstances',
      'ec2:DescribeSubnets',
      'ec2:DescribeVolumes',
      'ec2:DescribeTransitGateways',
      'ec2:DescribeVpcEndpoints',
      'ec2:DescribeAvailabilityZones',
      'ecs:ListClusters',
      'ecs:ListTasks',
      'ecs:DescribeTasks',
      'rds:DescribeDBClusters',
      'rds:DescribeDBInstances',
      'lambda:ListFunctions',
      'tag:GetResources',
      'fis:ListExperiments',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      // CloudWatch Logs vended delivery (state machine logging, FIS experiment logging)
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ]);
    const onStar = allows().filter((st) => st.resources.includes('*'));
    expect(onStar.length).toBeGreaterThan(0);
    const unexpected = onStar.flatMap((st) =>
      st.actions.filter((a) => !permitted.has(a)).map((a) => `${st.role}: ${a}`),
    );
    expect(unexpected).toEqual([]);
  });

  it('scopes cloudwatch:DescribeAlarmHistory to this account and region’s alarms when a catalog holds an existing template', () => {
    // orders-db-failover's template (templateId) names its stop conditions only at run time (test/infra/alarm-history
    // shows the exact ARNs of a catalog without one).
    const history = allows().filter((st) => st.actions.includes('cloudwatch:DescribeAlarmHistory'));
    expect(history.map((st) => [st.role.replace(/[0-9A-F]{8}$/, ''), st.resources])).toEqual([
      ['WorkflowEvaluateRole', ['arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*']],
    ]);
  });

  it('scopes fis:StartExperiment to the catalog templates and experiment/*, for InjectFault alone', () => {
    const starts = allows().filter((st) => st.actions.includes('fis:StartExperiment'));
    expect(starts.map((st) => st.role)).toEqual([expect.stringMatching(/^WorkflowInjectFaultRole/)]);
    const resources = starts[0]!.resources;
    const owned = ids(s.json, 'AWS::FIS::ExperimentTemplate')[0]!;
    expect(resources).toHaveLength(3);
    expect(resources).toContain(
      `arn:<AWS::Partition>:fis:<AWS::Region>:<AWS::AccountId>:experiment-template/<${owned}>`,
    );
    expect(resources).toContain(
      'arn:<AWS::Partition>:fis:<AWS::Region>:<AWS::AccountId>:experiment-template/EXTa1b2c3d4e5f6',
    );
    expect(resources).toContain('arn:<AWS::Partition>:fis:<AWS::Region>:<AWS::AccountId>:experiment/*');
    const tagging = allows().filter((st) => st.actions.includes('fis:TagResource'));
    expect(tagging.flatMap((st) => st.resources)).toEqual([
      'arn:<AWS::Partition>:fis:<AWS::Region>:<AWS::AccountId>:experiment/*',
    ]);
  });

  it('lets the state machine invoke exactly the ten task functions', () => {
    const invoke = allows().filter(
      (st) => st.actions.includes('lambda:InvokeFunction') && st.role.startsWith('WorkflowStateMachineRole'),
    );
    const resources = invoke.flatMap((st) => st.resources).sort();
    const expected = TASK_FUNCTIONS.map(
      (name) => `<${ids(s.json, 'AWS::Lambda::Function', `Workflow${name}`)[0]}.Arn>`,
    ).sort();
    expect(resources).toEqual(expected);
  });

  it('gives each handler exactly the actions its adapters call', () => {
    const logsAndTracing = [
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ];
    const table = [
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ];
    const notify = ['kms:Decrypt', 'kms:GenerateDataKey', 'sns:Publish'];
    const tokens = ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'];
    // catalog-basic's orders-db-failover names a change calendar and a stack (guardrails.changeCalendar, deployments)
    const freezes = ['ssm:GetCalendarState', 'cloudformation:DescribeStacks'];
    const expected: Record<string, string[]> = {
      Load: ['ssm:GetParameter', ...table, 'fis:GetExperimentTemplate'],
      ResolveTargets: [
        'dynamodb:DescribeTable',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInstances',
        'ec2:DescribeSubnets',
        'ec2:DescribeTransitGateways',
        'ec2:DescribeVolumes',
        'ec2:DescribeVpcEndpoints',
        'ecs:DescribeClusters',
        'ecs:DescribeTasks',
        'ecs:ListClusters',
        'ecs:ListTasks',
        'lambda:GetFunction',
        'lambda:ListFunctions',
        'tag:GetResources',
        'elasticache:DescribeReplicationGroups',
        'elasticache:ListTagsForResource',
        'rds:DescribeDBClusters',
        'rds:DescribeDBInstances',
      ],
      Preflight: ['ssm:GetParameter', 'cloudwatch:DescribeAlarms', ...table, ...freezes],
      Approval: [...table, ...notify],
      Baseline: ['cloudwatch:GetMetricData'],
      InjectFault: [
        'ssm:GetParameter',
        'cloudwatch:DescribeAlarms',
        ...freezes,
        'fis:StartExperiment',
        'fis:TagResource',
        'fis:GetExperiment',
        'fis:ListExperiments',
        'iam:CreateServiceLinkedRole',
        ...table,
        ...tokens,
      ],
      Reconcile: ['fis:GetExperiment', ...table],
      StopFault: ['fis:GetExperiment', 'fis:ListExperiments', 'fis:StopExperiment', ...table],
      Observe: ['cloudwatch:GetMetricData'],
      HoldForMitigation: ['dynamodb:GetItem', 'dynamodb:UpdateItem', ...tokens],
      Evaluate: [
        'cloudwatch:DescribeAlarmHistory',
        'fis:ListExperimentResolvedTargets',
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
      ],
      Publish: ['s3:GetObject', 's3:PutObject', ...table, ...notify],
      FaultEnded: ['fis:GetExperiment', ...table, ...tokens],
      Janitor: [
        'fis:GetExperiment',
        'fis:ListExperiments',
        'fis:StopExperiment',
        's3:GetObject',
        's3:PutObject',
        ...table,
      ],
    };
    for (const [name, actions] of Object.entries(expected)) {
      const granted = new Set(
        allows()
          .filter((st) => st.role.startsWith(`Workflow${name}Role`))
          .flatMap((st) => st.actions),
      );
      expect([...granted].sort(), name).toEqual([...new Set([...actions, ...logsAndTracing])].sort());
    }
  });

  it('lets InjectFault create only FIS\u2019s service-linked role', () => {
    const slr = allows().filter((st) => st.actions.includes('iam:CreateServiceLinkedRole'));
    expect(slr.map((st) => st.role.replace(/Role.*$/, ''))).toEqual(['WorkflowInjectFault']);
    expect(slr[0]!.resources).toEqual([
      'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/aws-service-role/fis.amazonaws.com/AWSServiceRoleForFIS',
    ]);
    expect(slr[0]!.condition).toEqual({ StringEquals: { 'iam:AWSServiceName': 'fis.amazonaws.com' } });
  });

  it('stops and reads only FIS experiments tagged with a run, except FaultEnded\u2019s reads', () => {
    const onExperiments = allows().filter((st) =>
      st.actions.some((a) => a === 'fis:StopExperiment' || a === 'fis:GetExperiment'),
    );
    expect(onExperiments.length).toBeGreaterThanOrEqual(5);
    for (const st of onExperiments) {
      if (st.role.startsWith('WorkflowFaultEndedRole')) {
        expect(st.actions).toEqual(['fis:GetExperiment']);
        expect(st.condition).toBeUndefined();
      } else {
        expect(st.condition, st.role).toEqual({ Null: { 'aws:ResourceTag/shaketable:run': 'false' } });
      }
    }
  });

  it('gives the FIS role only what its terminate action needs', () => {
    const roleId = ids(s.json, 'AWS::IAM::Role', 'CatalogcheckoutinstancelossFisRole')[0]!;
    const statements = allows().filter((st) => st.role === roleId);
    const actions = statements.flatMap((st) => st.actions).sort();
    expect(actions).toEqual(
      [
        'ec2:DescribeInstances',
        'ec2:TerminateInstances',
        'logs:CreateLogDelivery',
        'logs:DescribeLogGroups',
        'logs:DescribeResourcePolicies',
        's3:GetObject',
        's3:PutObject',
      ].sort(),
    );
    const terminate = statements.find((st) => st.actions.includes('ec2:TerminateInstances'))!;
    expect(terminate.resources).toEqual(['arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*']);
    const trust = s.json.Resources[roleId]!.Properties!.AssumeRolePolicyDocument as {
      Statement: Array<Record<string, unknown>>;
    };
    expect(trust.Statement[0]!.Principal).toEqual({ Service: 'fis.amazonaws.com' });
    expect(JSON.stringify(trust.Statement[0]!.Condition)).toContain('aws:SourceAccount');
  });

  it('lets only FaultEnded, InjectFault and HoldForMitigation complete task tokens, on this state machine', () => {
    const responders = allows().filter((st) => st.actions.includes('states:SendTaskSuccess'));
    expect(responders.map((st) => st.role.replace(/Role.*/, '')).sort()).toEqual([
      'WorkflowFaultEnded',
      'WorkflowHoldForMitigation',
      'WorkflowInjectFault',
    ]);
    for (const st of responders) {
      expect(st.resources).toEqual([
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:Shaketable-experiment',
      ]);
    }
  });
});

describe('encryption and TLS', () => {
  it('keeps results encrypted, versioned, private, expiring and TLS-only', () => {
    const bucket = one('AWS::S3::Bucket', 'ResultsBucket');
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const rules = (bucket.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
    expect(rules[0]).toMatchObject({ Status: 'Enabled', ExpirationInDays: 400 });
    const policy = props('AWS::S3::BucketPolicy').find((p) => flat(p.Bucket).includes('ResultsBucket'))!;
    expect(JSON.stringify(policy.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('encrypts the topic with a rotating KMS key and refuses plain-text publishing', () => {
    const topic = one('AWS::SNS::Topic');
    expect(flat(topic.KmsMasterKeyId)).toMatch(/^<ResultsTopicKey.*\.Arn>$/);
    expect(one('AWS::KMS::Key').EnableKeyRotation).toBe(true);
    expect(JSON.stringify(one('AWS::SNS::TopicPolicy').PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('lets this account\u2019s CloudWatch alarms publish to the topic and use its key, and no one else\u2019s', () => {
    const statements = [
      ...(one('AWS::SNS::TopicPolicy').PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
      ...(one('AWS::KMS::Key').KeyPolicy as { Statement: Array<Record<string, unknown>> }).Statement,
    ].filter((st) => JSON.stringify(st.Principal) === '{"Service":"cloudwatch.amazonaws.com"}');
    expect(statements.map((st) => st.Action)).toEqual(['sns:Publish', ['kms:Decrypt', 'kms:GenerateDataKey']]);
    for (const st of statements) {
      expect(st.Effect).toBe('Allow');
      const condition = st.Condition as Record<string, Record<string, unknown>>;
      expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
      expect(flat(condition.ArnLike!['aws:SourceArn'])).toBe(
        'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
      );
    }
  });

  it('gives FIS log delivery its log group policy, so no FIS role writes resource policies', () => {
    const policy = one('AWS::Logs::ResourcePolicy');
    const doc = JSON.parse(String(flat(policy.PolicyDocument))) as { Statement: Array<Record<string, unknown>> };
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Condition: { StringEquals: { 'aws:SourceAccount': expect.any(String) } },
    });
    expect(String(doc.Statement[0]!.Resource)).toMatch(/:log-group:.*:log-stream:\*$/);
    const fisRoles = ids(s.json, 'AWS::IAM::Role').filter((id) => id.includes('FisRole'));
    expect(fisRoles.length).toBeGreaterThan(0);
    const fisAllows = allows().filter((st) => fisRoles.includes(st.role));
    expect(fisAllows.flatMap((st) => st.actions)).toContain('logs:CreateLogDelivery');
    expect(fisAllows.filter((st) => st.actions.includes('logs:PutResourcePolicy'))).toEqual([]);
  });

  it('creates the run table with PITR, TTL and the indexes the adapters query', () => {
    const table = one('AWS::DynamoDB::Table');
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect((table.GlobalSecondaryIndexes as Array<{ IndexName: string }>).map((g) => g.IndexName).sort()).toEqual([
      'byExperiment',
      'byFaultId',
      'byStatus',
    ]);
  });

  it('encrypts the dead-letter queue and refuses plain-text access', () => {
    expect(one('AWS::SQS::Queue').SqsManagedSseEnabled).toBe(true);
    expect(JSON.stringify(one('AWS::SQS::QueuePolicy').PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });
});

describe('the FIS template of a catalog experiment', () => {
  const template = () => one('AWS::FIS::ExperimentTemplate');

  it('lists the named and ARN stop conditions plus one per abortWhen alarm', () => {
    const values = (template().StopConditions as Array<{ Source: string; Value: unknown }>).map((c) => {
      expect(c.Source).toBe('aws:cloudwatch:alarm');
      return flat(c.Value);
    });
    const alarm = (probe: string) =>
      `<${ids(s.json, 'AWS::CloudWatch::Alarm', `CatalogcheckoutinstancelossAbort${probe}`)[0]}.Arn>`;
    expect(values).toEqual([
      'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:checkout-5xx-high',
      'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:shared-latency-high',
      alarm('errors'),
      alarm('errorrate'),
      alarm('healthyhosts'),
    ]);
  });

  it('adds an observe wait action that runs beside the fault', () => {
    const actions = template().Actions as Record<string, Record<string, unknown>>;
    expect(actions['shaketable-observe']).toEqual({
      ActionId: 'aws:fis:wait',
      Description: expect.any(String),
      Parameters: { duration: 'PT4M' },
    });
    expect(actions.terminate).toEqual({ ActionId: 'aws:ec2:terminate-instances', Targets: { Instances: 'web' } });
  });

  it('carries the targets, tags, options, logs and report configuration', () => {
    const t = template();
    expect(t.Targets).toEqual({
      web: {
        ResourceType: 'aws:ec2:instance',
        SelectionMode: 'COUNT(1)',
        ResourceTags: { app: 'checkout' },
        Filters: [{ Path: 'State.Name', Values: ['running'] }],
      },
    });
    expect(t.Tags).toMatchObject({
      'shaketable:experiment': 'checkout-instance-loss',
      service: 'checkout',
      env: 'staging',
    });
    expect(t.ExperimentOptions).toEqual({ EmptyTargetResolutionMode: 'skip' });
    const log = t.LogConfiguration as {
      LogSchemaVersion: number;
      CloudWatchLogsConfiguration: { LogGroupArn: unknown };
    };
    expect(log.LogSchemaVersion).toBe(2);
    expect(flat(log.CloudWatchLogsConfiguration.LogGroupArn)).toMatch(/:log-group:<CatalogFisLogs[A-Z0-9]+>$/);
    expect(t.ExperimentReportConfiguration).toEqual({
      Outputs: {
        ExperimentReportS3Configuration: {
          BucketName: { Ref: expect.stringMatching(/^ResultsBucket/) },
          Prefix: 'fis-reports/checkout-instance-loss',
        },
      },
    });
  });

  it('creates no template for an experiment that names an existing one, nor for local experiments', () => {
    expect(ids(s.json, 'AWS::FIS::ExperimentTemplate')).toHaveLength(1);
    expect(ids(s.json, 'AWS::SSM::Parameter', 'Catalogsandbox')).toEqual([]);
  });
});

describe('alarms compiled from abortWhen', () => {
  const alarm = (probe: string) => one('AWS::CloudWatch::Alarm', `CatalogcheckoutinstancelossAbort${probe}`);

  it('fires above max for `for` periods, with a Sum probe missing read as not breaching', () => {
    expect(alarm('errors')).toMatchObject({
      AlarmName: 'Shaketable-checkout-instance-loss-abort-errors',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Sum',
      Period: 60,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
  });

  it('fires below min, with missing: breach read as breaching', () => {
    expect(alarm('healthyhosts')).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
    });
  });

  it('compiles an expression probe into metric math over the probes it reads, zero-filled where they say so', () => {
    const a = alarm('errorrate');
    expect(a).toMatchObject({ Threshold: 5, EvaluationPeriods: 3, TreatMissingData: 'missing' });
    const metrics = a.Metrics as Array<Record<string, unknown>>;
    expect(metrics.find((m) => m.ReturnData === true)).toMatchObject({ Expression: '100 * errors / requests' });
    expect(metrics.find((m) => m.Id === 'errors')).toMatchObject({
      Expression: 'FILL(errors_raw, 0)',
      ReturnData: false,
    });
    expect(metrics.find((m) => m.Id === 'errors_raw')).toMatchObject({
      MetricStat: { Metric: { MetricName: 'HTTPCode_Target_5XX_Count' }, Period: 60, Stat: 'Sum' },
    });
    expect(metrics.find((m) => m.Id === 'requests')).toMatchObject({ Expression: 'FILL(requests_raw, 0)' });
  });
});

describe('schedules', () => {
  const schedule = (name: string) => one('AWS::Scheduler::Schedule', `CatalogSchedule${name}`);

  it('starts a catalog experiment in its timezone and state, once, with a dead-letter queue', () => {
    const sch = schedule('checkoutinstanceloss');
    expect(sch).toMatchObject({
      ScheduleExpression: 'cron(0 10 ? * TUE-THU *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'DISABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    const target = sch.Target as Record<string, unknown>;
    expect(JSON.parse(target.Input as string)).toEqual({ experiment: 'checkout-instance-loss', trigger: 'schedule' });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0 });
    expect(flat((target.DeadLetterConfig as { Arn: unknown }).Arn)).toMatch(/^<DeadLetters.*\.Arn>$/);
    expect(flat(target.Arn)).toMatch(/^<WorkflowStateMachine/);
    expect(flat(sch.GroupName)).toMatch(/^<CatalogScheduleGroup/);
  });

  it('defaults to UTC and ENABLED', () => {
    expect(schedule('ordersdbfailover')).toMatchObject({ ScheduleExpressionTimezone: 'UTC', State: 'ENABLED' });
  });

  it('sweeps for stuck runs every 5 minutes', () => {
    const sweep = one('AWS::Scheduler::Schedule', 'WorkflowJanitorSweep');
    expect(sweep.ScheduleExpression).toBe('rate(5 minutes)');
    expect(JSON.parse((sweep.Target as { Input: string }).Input)).toEqual({ sweep: true });
    expect(flat((sweep.Target as { Arn: unknown }).Arn)).toMatch(/^<WorkflowJanitor.*\.Arn>$/);
  });

  it('lets the scheduler role start only the state machine', () => {
    const roleId = ids(s.json, 'AWS::IAM::Role', 'CatalogSchedulerRole')[0]!;
    const st = allows().filter((x) => x.role === roleId);
    expect(st.flatMap((x) => x.actions).sort()).toEqual(['sqs:SendMessage', 'states:StartExecution']);
  });
});

describe('the deployed catalog', () => {
  it('publishes the deploy-time ids of each experiment under /shaketable/catalog/<name>', () => {
    const owned = one('AWS::SSM::Parameter', 'CatalogcheckoutinstancelossIds');
    expect(owned.Name).toBe('/shaketable/catalog/checkout-instance-loss');
    const templateId = ids(s.json, 'AWS::FIS::ExperimentTemplate')[0]!;
    expect(flat(owned.Value)).toBe(
      JSON.stringify({
        templateId: `<${templateId}>`,
        compiledAlarms: [
          'Shaketable-checkout-instance-loss-abort-errors',
          'Shaketable-checkout-instance-loss-abort-error_rate',
          'Shaketable-checkout-instance-loss-abort-healthy_hosts',
        ],
      }),
    );
    const external = one('AWS::SSM::Parameter', 'CatalogordersdbfailoverIds');
    expect(JSON.parse(external.Value as string)).toEqual({ templateId: 'EXTa1b2c3d4e5f6', compiledAlarms: [] });
  });

  it('bundles the validated experiments, without the local ones, as catalog.json', () => {
    const catalog = JSON.parse(s.stack.catalog.catalogJson);
    expect(Object.keys(catalog.experiments)).toEqual(['checkout-instance-loss', 'orders-db-failover']);
    expect(catalog.experiments['checkout-instance-loss'].guardrails.abortWhen.errors).toEqual({ max: 10, for: 2 });
  });

  it('lets Load read exactly the catalog parameters', () => {
    const load = allows().filter(
      (st) => st.role.startsWith('WorkflowLoadRole') && st.actions.includes('ssm:GetParameter'),
    );
    expect(load.flatMap((st) => st.resources).sort()).toEqual([
      'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/shaketable/catalog/checkout-instance-loss',
      'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/shaketable/catalog/orders-db-failover',
    ]);
  });
});

describe('the state machine', () => {
  const sm = () => one('AWS::StepFunctions::StateMachine');

  it('provides every ASL substitution placeholder the file uses, and nothing else', () => {
    const definition = sm().DefinitionString as string;
    expect(typeof definition).toBe('string');
    expect(definition).toBe(readFileSync(ASL_FILE, 'utf8'));
    const placeholders = [...new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!))].sort();
    const substitutions = sm().DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(placeholders);
    const applied = definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, key: string) => flat(substitutions[key]));
    expect(applied).not.toContain('${');
    const parsed = JSON.parse(applied) as { TimeoutSeconds?: number };
    expect(parsed.TimeoutSeconds).toBeGreaterThan(0);
    for (const name of TASK_FUNCTIONS)
      expect(flat(substitutions[`${name}FunctionArn`])).toMatch(new RegExp(`^<Workflow${name}[A-Z0-9]+\\.Arn>$`));
  });

  it('is traced and logs every event without execution data', () => {
    expect(sm()).toMatchObject({
      StateMachineName: 'Shaketable-experiment',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('runs every function on Node 24, ARM64, traced, with its own log group and the adapters environment', () => {
    const functions = props('AWS::Lambda::Function');
    expect(functions).toHaveLength(14);
    for (const f of functions) {
      expect(f).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: expect.anything() },
      });
      const env = (f.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(['RESULTS_BUCKET', 'TOPIC_ARN', 'RUN_TABLE', 'HALT_PARAMETER', 'CATALOG_PREFIX']),
      );
      expect(env.HALT_PARAMETER).toBe('/shaketable/halt');
      // stack traces in the logs name the TypeScript sources, through the map beside the bundle
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });
});

describe('the report’s chart library', () => {
  it('is copied beside the Publish and Janitor bundles only, and read from there', () => {
    const withCharts = Object.entries(s.json.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .filter(([, r]) => {
        const props = r.Properties as { Environment: { Variables: Record<string, unknown> } };
        const env = props.Environment.Variables;
        return env.CHART_LIBRARY_DIR === CHART_LIBRARY_DIR;
      })
      .map(([id]) => id);
    expect(withCharts).toEqual([expect.stringMatching(/^WorkflowPublish/), expect.stringMatching(/^WorkflowJanitor/)]);
  });

  it('lays out, by the construct’s copy commands, exactly what the report renderer reads', () => {
    const out = mkdtempSync(join(tmpdir(), 'shaketable-bundle-'));
    try {
      execFileSync('bash', ['-c', chartLibraryCopy(out).join(' && ')]);
      expect(readChartLibrary(join(out, 'uplot'))).toEqual(readChartLibrary());
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('events, alarms and outputs', () => {
  it('wakes FaultEnded on FIS state changes and the Janitor on aborted or timed-out runs', () => {
    const rules = props('AWS::Events::Rule');
    const fis = rules.find((r) => JSON.stringify(r.EventPattern).includes('aws.fis'))!;
    expect(fis.EventPattern).toEqual({ source: ['aws.fis'], 'detail-type': ['FIS Experiment State Change'] });
    expect(flat((fis.Targets as Array<{ Arn: unknown }>)[0]!.Arn)).toMatch(/^<WorkflowFaultEnded/);
    const runs = rules.find((r) => JSON.stringify(r.EventPattern).includes('aws.states'))!;
    expect((runs.EventPattern as { detail: { status: string[] } }).detail.status).toEqual([
      'ABORTED',
      'TIMED_OUT',
      'FAILED',
    ]);
    expect(flat((runs.Targets as Array<{ Arn: unknown }>)[0]!.Arn)).toMatch(/^<WorkflowJanitor/);
  });

  it('alarms on timed-out and aborted executions, not on failed ones', () => {
    const metrics = props('AWS::CloudWatch::Alarm', 'Monitoring').map((a) => a.MetricName);
    expect(metrics).toEqual(
      expect.arrayContaining([
        'ExecutionsTimedOut',
        'ExecutionsAborted',
        'Errors',
        'ApproximateNumberOfMessagesVisible',
      ]),
    );
    expect(metrics).not.toContain('ExecutionsFailed');
  });

  it('alarms on ERROR verdicts from the Runs metric Publish emits', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Shaketable',
      MetricName: 'Runs',
      Dimensions: [{ Name: 'Verdict', Value: 'ERROR' }],
      Threshold: 1,
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('^ResultsTopic') })],
    });
  });

  it('exports the state machine, bucket, topic and table under stable names', () => {
    const outputs = s.json.Outputs as Record<string, { Export: { Name: string } }>;
    for (const name of ['StateMachineArn', 'ResultsBucketName', 'TopicArn', 'RunTableName']) {
      expect(outputs[name]?.Export.Name).toBe(`Shaketable-${name}`);
    }
  });

  it('leaves no unresolved token in the template', () => {
    expect(JSON.stringify(s.json)).not.toMatch(/\$\{Token\[|\[object Object\]|undefined/);
  });
});
