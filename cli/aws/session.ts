// One AWS session per CLI command: the SDK clients it needs (created on first use; region and credentials found as the
// AWS CLI finds them: --region, AWS_REGION, AWS_DEFAULT_REGION, then the profile's region; --profile or AWS_PROFILE,
// environment keys, SSO, instance roles), the deployed stack's outputs, and the same adapters the Lambda functions use
// (functions/aws/*). Tests inject mocked clients. Only imported when a command talks to AWS (cli/aws/options.ts).
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { FisClient } from '@aws-sdk/client-fis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock, type TargetPools } from '../../core/ports.js';
import { CloudWatchAlarmSource } from '../../functions/aws/cloudwatch.js';
import { DynamoRunLedger } from '../../functions/aws/dynamodb.js';
import { FisFaultInjector, FisTemplates } from '../../functions/aws/fis.js';
import { S3ResultStore } from '../../functions/aws/s3.js';
import { TaskTokens } from '../../functions/aws/sfn.js';
import { SsmCatalogIds, SsmKillSwitch } from '../../functions/aws/ssm.js';
import { AwsTargetPools } from '../../functions/aws/targets.js';
import { type AwsOptions, CATALOG_PREFIX, DEFAULT_STACK, HALT_PARAMETER } from './options.js';
import { readStackOutputs, type StackOutputs } from './stack.js';

export interface AwsClients {
  cloudFormation: CloudFormationClient;
  sfn: SFNClient;
  s3: S3Client;
  dynamodb: DynamoDBDocumentClient;
  ssm: SSMClient;
  fis: FisClient;
  cloudWatch: CloudWatchClient;
  sts: STSClient;
  ec2: EC2Client;
  ecs: ECSClient;
  rds: RDSClient;
  lambda: LambdaClient;
  tagging: ResourceGroupsTaggingAPIClient;
}

/** What every client is created with; credentials come from the SDK's default chain (see options.ts for --profile). */
interface ClientConfig {
  region: string | undefined;
}

const FACTORIES: { [K in keyof AwsClients]: (config: ClientConfig) => AwsClients[K] } = {
  cloudFormation: (config) => new CloudFormationClient(config),
  sfn: (config) => new SFNClient(config),
  s3: (config) => new S3Client(config),
  dynamodb: (config) =>
    DynamoDBDocumentClient.from(new DynamoDBClient(config), { marshallOptions: { removeUndefinedValues: true } }),
  ssm: (config) => new SSMClient(config),
  fis: (config) => new FisClient(config),
  cloudWatch: (config) => new CloudWatchClient(config),
  sts: (config) => new STSClient(config),
  ec2: (config) => new EC2Client(config),
  ecs: (config) => new ECSClient(config),
  rds: (config) => new RDSClient(config),
  lambda: (config) => new LambdaClient(config),
  tagging: (config) => new ResourceGroupsTaggingAPIClient(config),
};

/**
 * The region as the AWS CLI picks it: the flag, AWS_REGION, AWS_DEFAULT_REGION (which the SDK alone ignores), and
 * undefined to let the SDK read the profile's region.
 */
export function regionOption(options: AwsOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

export class AwsSession {
  readonly stackName: string;
  readonly #clients: Partial<AwsClients>;
  readonly #config: ClientConfig;
  #outputs: Promise<StackOutputs> | undefined;

  constructor(
    options: AwsOptions = {},
    clients: Partial<AwsClients> = {},
    readonly clock: Clock = systemClock,
  ) {
    this.stackName = options.stack ?? DEFAULT_STACK;
    this.#clients = { ...clients };
    this.#config = { region: regionOption(options) };
  }

  client<K extends keyof AwsClients>(key: K): AwsClients[K] {
    const existing = this.#clients[key];
    if (existing) return existing as AwsClients[K];
    const client = FACTORIES[key](this.#config);
    this.#clients[key] = client;
    return client;
  }

  /** --region, AWS_REGION, AWS_DEFAULT_REGION, else the profile's (throws "Region is missing" when there is none). */
  async region(): Promise<string> {
    if (this.#config.region) return this.#config.region;
    return this.client('sfn').config.region();
  }

  /** The stack's outputs, read once per session. */
  outputs(): Promise<StackOutputs> {
    this.#outputs ??= this.region().then((region) =>
      readStackOutputs(this.client('cloudFormation'), this.stackName, region),
    );
    return this.#outputs;
  }

  async ledger(): Promise<DynamoRunLedger> {
    return new DynamoRunLedger(this.client('dynamodb'), (await this.outputs()).runTableName, this.clock);
  }

  async results(): Promise<S3ResultStore> {
    return new S3ResultStore(this.client('s3'), (await this.outputs()).resultsBucketName);
  }

  killSwitch(): SsmKillSwitch {
    return new SsmKillSwitch(this.client('ssm'), HALT_PARAMETER, this.clock);
  }

  catalogIds(): SsmCatalogIds {
    return new SsmCatalogIds(this.client('ssm'), CATALOG_PREFIX);
  }

  tokens(): TaskTokens {
    return new TaskTokens(this.client('sfn'));
  }

  alarms(): CloudWatchAlarmSource {
    return new CloudWatchAlarmSource(this.client('cloudWatch'));
  }

  faults(): FisFaultInjector {
    return new FisFaultInjector(this.client('fis'));
  }

  /** The deployed FIS templates, read back as Load reads them. */
  templates(): FisTemplates {
    return new FisTemplates(this.client('fis'));
  }

  /** Target pools through the resources' own APIs, as the workflow's ResolveTargets reads them. */
  targetPools(): TargetPools {
    return new AwsTargetPools({
      ec2: this.client('ec2'),
      ecs: this.client('ecs'),
      lambda: this.client('lambda'),
      tagging: this.client('tagging'),
      rds: this.client('rds'),
    });
  }
}
