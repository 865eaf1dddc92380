// Where runs leave their evidence and their state: the results bucket, the notification topic, the run table
// and the kill-switch parameter (DESIGN §5, §7). Everything encrypted, TLS only, retained on stack deletion.
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/** SSM parameter of the kill switch (`shaketable halt` / `resume`). */
export const HALT_PARAMETER = '/shaketable/halt';
/** SSM prefix of the per-experiment deploy-time ids (`/shaketable/catalog/<name>`). */
export const CATALOG_PREFIX = '/shaketable/catalog';
/** Run-table attributes shared with functions/aws/dynamodb.ts. */
export const RUN_TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'ttl',
  /** finds the run waiting on an FIS experiment (FaultEnded) */
  byFaultIndex: 'byFaultId',
  byFaultKey: 'fisExperimentId',
  /** lists runs by status (the Janitor's sweep over RUNNING runs) and by experiment (history) */
  byStatusIndex: 'byStatus',
  byStatusKey: 'status',
  byExperimentIndex: 'byExperiment',
  byExperimentKey: 'experiment',
  startedAtKey: 'startedAt',
} as const;

export interface ResultsProps {
  /** days after which old run results move to infrequent access (default 30) and expire (default 400) */
  infrequentAccessAfterDays?: number;
  expireAfterDays?: number;
}

export class Results extends Construct {
  readonly bucket: s3.Bucket;
  readonly topic: sns.Topic;
  readonly topicKey: kms.Key;
  readonly table: dynamodb.Table;
  readonly haltParameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: ResultsProps = {}) {
    super(scope, id);

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the results bucket; logging it into itself would loop.',
    });

    // S3-managed keys (SSE-S3) rather than KMS: FIS writes its experiment reports here with the experiment role,
    // and the HTML reports are opened straight from S3, neither of which then needs a key grant.
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'results/',
      lifecycleRules: [
        {
          id: 'old-runs',
          transitions: [
            {
              storageClass: s3.StorageClass.INFREQUENT_ACCESS,
              transitionAfter: Duration.days(props.infrequentAccessAfterDays ?? 30),
            },
          ],
          expiration: Duration.days(props.expireAfterDays ?? 400),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'shaketable: encrypts the verdict notification topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms of the orchestrator publish to the topic: an encrypted topic needs the key for them, and
    // the topic policy (which enforceSSL makes explicit, replacing SNS's default one) must let them publish. Both
    // only for this account's alarms (aws:SourceAccount, aws:SourceArn: the confused-deputy guard).
    const stack = Stack.of(this);
    const fromThisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: fromThisAccountsAlarms,
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'shaketable verdicts',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccountsAlarms,
      }),
    );

    this.table = new dynamodb.Table(this, 'RunTable', {
      partitionKey: { name: RUN_TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: RUN_TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: RUN_TABLE_KEYS.ttl,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: RUN_TABLE_KEYS.byFaultIndex,
      partitionKey: { name: RUN_TABLE_KEYS.byFaultKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: RUN_TABLE_KEYS.byStatusIndex,
      partitionKey: { name: RUN_TABLE_KEYS.byStatusKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: RUN_TABLE_KEYS.startedAtKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: RUN_TABLE_KEYS.byExperimentIndex,
      partitionKey: { name: RUN_TABLE_KEYS.byExperimentKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: RUN_TABLE_KEYS.startedAtKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    this.haltParameter = new ssm.StringParameter(this, 'Halt', {
      parameterName: HALT_PARAMETER,
      description: 'shaketable kill switch: while on, nothing is injected (shaketable halt / resume)',
      stringValue: JSON.stringify({ on: false }),
    });
  }
}
