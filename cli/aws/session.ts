// One AWS session per CLI command: the SDK clients it needs (created on first use, region from --region or the SDK's
// default chain, credentials from the standard chain: AWS_PROFILE, environment, SSO, instance roles), the deployed
// stack's outputs, and the same adapters the Lambda functions use (functions/aws/*). Tests inject mocked clients.
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
import type { Command } from 'commander';
import type { Clock, TargetPools } from '../../core/ports.js';
import { validateResult } from '../../core/result/validate.js';
import { CloudWatchAlarmSource } from '../../functions/aws/cloudwatch.js';
import { DynamoRunLedger } from '../../functions/aws/dynamodb.js';
import { FisFaultInjector } from '../../functions/aws/fis.js';
import { validateTemplate } from '../../functions/aws/fis-template.js';
import { S3ResultStore } from '../../functions/aws/s3.js';
import { TaskTokens } from '../../functions/aws/sfn.js';
import { SsmCatalogIds, SsmKillSwitch } from '../../functions/aws/ssm.js';
import { AwsTargetPoolResolver } from '../../functions/aws/targets.js';
import { RdsTargetPools } from '../../functions/aws/targets-rds.js';
import { DEFAULT_STACK, readStackOutputs, type StackOutputs } from './stack.js';

/** The kill-switch parameter and catalog prefix have fixed names (DESIGN §4, §7), like the Lambda defaults. */
export const HALT_PARAMETER = '/shaketable/halt';
export const CATALOG_PREFIX = '/shaketable/catalog';

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

export interface AwsOptions {
  /** CloudFormation stack name (default `Shaketable`) */
  stack?: string;
  /** AWS region; the SDK default chain (AWS_REGION, the profile's region) when absent */
  region?: string;
}

const FACTORIES: { [K in keyof AwsClients]: (region: string | undefined) => AwsClients[K] } = {
  cloudFormation: (region) => new CloudFormationClient({ region }),
  sfn: (region) => new SFNClient({ region }),
  s3: (region) => new S3Client({ region }),
  dynamodb: (region) =>
    DynamoDBDocumentClient.from(new DynamoDBClient({ region }), { marshallOptions: { removeUndefinedValues: true } }),
  ssm: (region) => new SSMClient({ region }),
  fis: (region) => new FisClient({ region }),
  cloudWatch: (region) => new CloudWatchClient({ region }),
  sts: (region) => new STSClient({ region }),
  ec2: (region) => new EC2Client({ region }),
  ecs: (region) => new ECSClient({ region }),
  rds: (region) => new RDSClient({ region }),
  lambda: (region) => new LambdaClient({ region }),
  tagging: (region) => new ResourceGroupsTaggingAPIClient({ region }),
};

export const systemClock: Clock = { now: () => new Date() };

export class AwsSession {
  readonly stackName: string;
  readonly #clients: Partial<AwsClients>;
  #outputs: Promise<StackOutputs> | undefined;

  constructor(
    private readonly options: AwsOptions = {},
    clients: Partial<AwsClients> = {},
    readonly clock: Clock = systemClock,
  ) {
    this.stackName = options.stack ?? DEFAULT_STACK;
    this.#clients = { ...clients };
  }

  client<K extends keyof AwsClients>(key: K): AwsClients[K] {
    const existing = this.#clients[key];
    if (existing) return existing as AwsClients[K];
    const client = FACTORIES[key](this.options.region);
    this.#clients[key] = client;
    return client;
  }

  /** --region, else the region the SDK resolves (throws "Region is missing" when there is none: see toUserError). */
  async region(): Promise<string> {
    if (this.options.region) return this.options.region;
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
    return new S3ResultStore(this.client('s3'), (await this.outputs()).resultsBucketName, validateResult);
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

  /** The FIS adapter; with `resolveTargets` it also reads target pools through the resources' own APIs. */
  faults(options: { resolveTargets: boolean } = { resolveTargets: false }): FisFaultInjector {
    const targets: TargetPools = options.resolveTargets
      ? new AwsTargetPoolResolver(
          {
            ec2: this.client('ec2'),
            ecs: this.client('ecs'),
            lambda: this.client('lambda'),
            tagging: this.client('tagging'),
          },
          new RdsTargetPools(this.client('rds')),
        )
      : {
          resolve: async (name) => {
            throw new Error(`target "${name}": this command does not resolve target pools`);
          },
        };
    return new FisFaultInjector(this.client('fis'), targets, validateTemplate);
  }
}

/** How commands get a session; tests pass one that injects mocked clients. */
export type SessionFactory = (options: AwsOptions) => AwsSession;
export const defaultSessionFactory: SessionFactory = (options) => new AwsSession(options);

/** `--stack` and `--region`, shared by every AWS command. */
export function addAwsOptions(command: Command, { stack = true }: { stack?: boolean } = {}): Command {
  if (stack) command.option('--stack <name>', `the deployed shaketable stack (default: ${DEFAULT_STACK})`);
  return command.option('--region <region>', 'AWS region (default: AWS_REGION or the profile region)');
}
