// One factory per port, each building its SDK client once per container. Handlers call only the factories they
// need, so esbuild bundles only those clients (the @aws-sdk client packages are side-effect free). lib-dynamodb is
// not, so the five bundles without a ledger carry ~7 KB of it (measured with bench/bundles.ts): not worth a module.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { FisClient } from '@aws-sdk/client-fis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../../core/ports.js';
import { SnsApprovalNotifier } from './approval-notifier.js';
import { BundledCatalog, defaultCatalogPath } from './catalog.js';
import type { ShaketableEnv } from './clients.js';
import { CloudWatchAlarmSource, CloudWatchMetricSource } from './cloudwatch.js';
import { DynamoRunLedger } from './dynamodb.js';
import { FisFaultInjector, FisTemplates } from './fis.js';
import { CloudFormationDeployments, SsmChangeCalendar } from './freezes.js';
import { S3ResultStore } from './s3.js';
import { TaskTokens } from './sfn.js';
import { SnsNotifier } from './sns.js';
import { SsmCatalogIds, SsmKillSwitch } from './ssm.js';
import { AwsTargetPools } from './targets.js';

export const clock: Clock = systemClock;

export const killSwitch = (env: ShaketableEnv) =>
  new SsmKillSwitch(new SSMClient({ region: env.AWS_REGION }), env.HALT_PARAMETER, clock);

/** The SSM Change Calendar of `guardrails.changeCalendar`. */
export const changeCalendar = (env: ShaketableEnv) => new SsmChangeCalendar(new SSMClient({ region: env.AWS_REGION }));

/** The CloudFormation stacks of `guardrails.deployments`. */
export const deployments = (env: ShaketableEnv) =>
  new CloudFormationDeployments(new CloudFormationClient({ region: env.AWS_REGION }));

export const catalog = (env: ShaketableEnv) =>
  BundledCatalog.fromFile(
    defaultCatalogPath(),
    new SsmCatalogIds(new SSMClient({ region: env.AWS_REGION }), env.CATALOG_PREFIX),
  );

export const alarms = (env: ShaketableEnv) =>
  new CloudWatchAlarmSource(new CloudWatchClient({ region: env.AWS_REGION }));

export const metrics = (env: ShaketableEnv) =>
  new CloudWatchMetricSource(new CloudWatchClient({ region: env.AWS_REGION }), {
    clock,
    ingestionDelaySeconds: env.INGESTION_DELAY_SECONDS,
  });

/** Target pools of every resource type (ResolveTargets): each resource's own API, or the tagging API. */
export const targetPools = (env: ShaketableEnv) => {
  const region = env.AWS_REGION;
  return new AwsTargetPools({
    ec2: new EC2Client({ region }),
    ecs: new ECSClient({ region }),
    lambda: new LambdaClient({ region }),
    tagging: new ResourceGroupsTaggingAPIClient({ region }),
    dynamodb: new DynamoDBClient({ region }),
    rds: new RDSClient({ region }),
    elasticache: new ElastiCacheClient({ region }),
  });
};

export const faults = (env: ShaketableEnv) => new FisFaultInjector(new FisClient({ region: env.AWS_REGION }));

/** The deployed FIS templates, read back (Load). */
export const templates = (env: ShaketableEnv) => new FisTemplates(new FisClient({ region: env.AWS_REGION }));

export const results = (env: ShaketableEnv) =>
  new S3ResultStore(new S3Client({ region: env.AWS_REGION }), env.RESULTS_BUCKET);

export const notifier = (env: ShaketableEnv) =>
  new SnsNotifier(new SNSClient({ region: env.AWS_REGION }), env.TOPIC_ARN);

export const approvals = (env: ShaketableEnv) =>
  new SnsApprovalNotifier(new SNSClient({ region: env.AWS_REGION }), env.TOPIC_ARN);

export const tokens = (env: ShaketableEnv) => new TaskTokens(new SFNClient({ region: env.AWS_REGION }));

/** The run table: runs, locks, task tokens. */
export const ledger = (env: ShaketableEnv) =>
  new DynamoRunLedger(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: env.AWS_REGION }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    env.RUN_TABLE,
    clock,
  );
