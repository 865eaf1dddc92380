// The FIS action table: every action shaketable can put in a template, as data — its target keys and their resource
// types, its parameters (type, range, enum), the parameters that keep the fault running, and the permissions its FIS
// role needs. Validation, the CDK's FIS roles, the blast-radius resolver, the starters and `shaketable actions` read
// only this table (DESIGN §2 "FIS actions").
// Sources: https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html (targets, parameters, ranges,
// permissions of each action) and the AWS managed policies AWSFaultInjectionSimulator*Access
// (https://docs.aws.amazon.com/fis/latest/userguide/security-iam-awsmanpol.html).

export type FisParameterType = 'duration' | 'integer' | 'number' | 'enum' | 'string' | 'boolean' | 'json';

export interface FisParameterSpec {
  readonly required: boolean;
  readonly type: FisParameterType;
  /** durations: seconds; numbers: value */
  readonly min?: number;
  readonly max?: number;
  /** enum */
  readonly values?: readonly string[];
  /** a duration-like parameter that keeps the action running (duration, startInstancesAfterDuration, ...) */
  readonly lengthensFault?: boolean;
  readonly description: string;
}

export interface FisTargetKeySpec {
  readonly resourceTypes: readonly string[];
  readonly required: boolean;
}

export interface FisPermission {
  /** IAM actions, e.g. 'ec2:TerminateInstances' */
  readonly actions: readonly string[];
  /** 'targets' = the target's resources; {arn} = an ARN pattern with ${Partition}/${Region}/${Account} placeholders */
  readonly on: 'targets' | 'any' | { readonly arn: string };
  readonly because: string;
  readonly condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface FisActionSpec {
  readonly id: string;
  readonly description: string;
  /** target key -> resource types ({} when none) */
  readonly targets: Readonly<Record<string, FisTargetKeySpec>>;
  /** {} when the action takes none */
  readonly parameters: Readonly<Record<string, FisParameterSpec>>;
  readonly permissions: readonly FisPermission[];
  /** FIS resolves resourceTags via tag:GetResources for this action's targets */
  readonly needsTagResolution?: boolean;
  /** e.g. stop-instances with startInstancesAfterDuration on encrypted volumes */
  readonly needsKmsGrant?: boolean;
}

import { arnPattern } from './resource-types.js';

const MINUTE = 60;
const HOUR = 3600;

const DESCRIBE_BECAUSE = 'FIS resolves targets by tags and filters; these Describe/List calls take no resource ARN';

const onTargets = (actions: string[], because: string): FisPermission => ({ actions, on: 'targets', because });
const onAny = (actions: string[], because = DESCRIBE_BECAUSE): FisPermission => ({ actions, on: 'any', because });
const onArn = (actions: string[], arn: string, because: string): FisPermission => ({ actions, on: { arn }, because });

const target = (...resourceTypes: string[]): FisTargetKeySpec => ({ resourceTypes, required: true });

function duration(description: string, min: number, max: number, required = true): FisParameterSpec {
  return { required, type: 'duration', min, max, lengthensFault: true, description };
}

function percentage(description: string, required = false): FisParameterSpec {
  return { required, type: 'integer', min: 1, max: 100, description };
}

const S3_FIS_CONFIGS = arnPattern('s3', '*/FisConfigs/*', 'bare');
const LAMBDA_CONFIG_BECAUSE =
  'FIS writes the fault configuration to the bucket in each function\u2019s AWS_FIS_CONFIGURATION_LOCATION, under FisConfigs/, where the FIS Lambda extension reads it';

function lambdaFault(id: string, description: string, parameters: Record<string, FisParameterSpec>): FisActionSpec {
  return {
    id,
    description,
    targets: { Functions: target('aws:lambda:function') },
    parameters: {
      duration: duration('how long the fault lasts', MINUTE, 12 * HOUR),
      invocationPercentage: percentage('percentage of invocations to affect (default 100)'),
      ...parameters,
    },
    permissions: [
      onTargets(['lambda:GetFunction'], 'FIS reads each function\u2019s configuration to find its FIS extension'),
      onArn(['s3:PutObject', 's3:DeleteObject'], S3_FIS_CONFIGS, LAMBDA_CONFIG_BECAUSE),
      onAny(['tag:GetResources']),
    ],
    needsTagResolution: true,
  };
}

function apiFault(id: string, iamAction: string, what: string): FisActionSpec {
  return {
    id,
    description: `returns ${what} errors for requests made by the target IAM roles`,
    targets: { Roles: target('aws:iam:role') },
    parameters: {
      duration: duration('how long the fault lasts', MINUTE, 12 * HOUR),
      service: { required: true, type: 'enum', values: ['ec2'], description: 'the target AWS API namespace' },
      percentage: { required: true, type: 'integer', min: 1, max: 100, description: 'percentage of calls to fail' },
      operations: { required: true, type: 'string', description: 'comma-separated API actions to fail' },
    },
    permissions: [
      onArn(
        [iamAction],
        arnPattern('fis', 'experiment/*'),
        'FIS injects the API errors as part of the running experiment',
      ),
    ],
  };
}

const ACTIONS: FisActionSpec[] = [
  {
    id: 'aws:fis:wait',
    description: 'runs the FIS wait action',
    targets: {},
    parameters: { duration: duration('how long to wait', MINUTE, 12 * HOUR) },
    permissions: [],
  },
  {
    id: 'aws:cloudwatch:assert-alarm-state',
    description: 'verifies that the given alarms are in one of the given states',
    targets: {},
    parameters: {
      alarmArns: { required: true, type: 'string', description: 'comma-separated alarm ARNs (up to 5)' },
      alarmStates: {
        required: true,
        type: 'string',
        description: 'comma-separated states: OK, ALARM, INSUFFICIENT_DATA',
      },
    },
    permissions: [onAny(['cloudwatch:DescribeAlarms'], 'DescribeAlarms takes no resource ARN')],
  },
  {
    id: 'aws:ec2:terminate-instances',
    description: 'terminates the target instances',
    targets: { Instances: target('aws:ec2:instance') },
    parameters: {},
    permissions: [onTargets(['ec2:TerminateInstances'], 'the fault'), onAny(['ec2:DescribeInstances'])],
  },
  {
    id: 'aws:ec2:stop-instances',
    description: 'stops the target instances, optionally starting them again after a duration',
    targets: { Instances: target('aws:ec2:instance') },
    parameters: {
      startInstancesAfterDuration: duration('time before the instances are started again', MINUTE, 12 * HOUR, false),
      completeIfInstancesTerminated: {
        required: false,
        type: 'boolean',
        description: 'complete when the instances are terminated instead of failing',
      },
    },
    permissions: [
      onTargets(
        ['ec2:StopInstances', 'ec2:StartInstances'],
        'the fault, and the restart after startInstancesAfterDuration',
      ),
      onAny(['ec2:DescribeInstances']),
    ],
    needsKmsGrant: true,
  },
  {
    id: 'aws:ec2:reboot-instances',
    description: 'reboots the target instances',
    targets: { Instances: target('aws:ec2:instance') },
    parameters: {},
    permissions: [onTargets(['ec2:RebootInstances'], 'the fault'), onAny(['ec2:DescribeInstances'])],
  },
  {
    id: 'aws:ec2:send-spot-instance-interruptions',
    description: 'interrupts the target Spot Instances after a two-minute notice',
    targets: { SpotInstances: target('aws:ec2:spot-instance') },
    parameters: {
      durationBeforeInterruption: duration('time before the instances are interrupted', 2 * MINUTE, 15 * MINUTE),
    },
    permissions: [onTargets(['ec2:SendSpotInstanceInterruptions'], 'the fault'), onAny(['ec2:DescribeInstances'])],
  },
  {
    id: 'aws:ecs:stop-task',
    description: 'stops the target tasks',
    targets: { Tasks: target('aws:ecs:task') },
    parameters: {},
    permissions: [
      onTargets(['ecs:StopTask', 'ecs:DescribeTasks'], 'the fault'),
      onAny(['ecs:ListTasks', 'ecs:ListClusters', 'tag:GetResources']),
    ],
    needsTagResolution: true,
  },
  {
    id: 'aws:ecs:drain-container-instances',
    description: 'drains a percentage of the container instances of the target clusters',
    targets: { Clusters: target('aws:ecs:cluster') },
    parameters: {
      drainagePercentage: { required: true, type: 'integer', min: 1, max: 100, description: 'the percentage' },
      duration: duration('how long the fault lasts', MINUTE, 43_200),
    },
    permissions: [
      onTargets(
        ['ecs:ListContainerInstances', 'ecs:DescribeClusters'],
        'FIS lists the target clusters\u2019 container instances',
      ),
      onArn(
        ['ecs:UpdateContainerInstancesState'],
        arnPattern('ecs', 'container-instance/*'),
        'draining acts on the container instances of the target clusters',
      ),
      onAny(['ecs:ListClusters']),
    ],
  },
  {
    id: 'aws:rds:failover-db-cluster',
    description: 'fails over the target Aurora DB clusters',
    targets: { Clusters: target('aws:rds:cluster') },
    parameters: {},
    permissions: [
      onTargets(['rds:FailoverDBCluster'], 'the fault'),
      onAny(['rds:DescribeDBClusters', 'tag:GetResources']),
    ],
    needsTagResolution: true,
  },
  {
    id: 'aws:rds:reboot-db-instances',
    description: 'reboots the target DB instances',
    targets: { DBInstances: target('aws:rds:db') },
    parameters: {
      forceFailover: { required: false, type: 'boolean', description: 'fail over a Multi-AZ instance while rebooting' },
    },
    permissions: [
      onTargets(['rds:RebootDBInstance'], 'the fault'),
      onAny(['rds:DescribeDBInstances', 'tag:GetResources']),
    ],
    needsTagResolution: true,
  },
  {
    id: 'aws:ebs:pause-volume-io',
    description: 'pauses I/O on the target EBS volumes',
    targets: { Volumes: target('aws:ec2:ebs-volume') },
    parameters: { duration: duration('how long I/O is paused', 1, 12 * HOUR) },
    permissions: [onTargets(['ec2:PauseVolumeIO'], 'the fault'), onAny(['ec2:DescribeVolumes', 'tag:GetResources'])],
    needsTagResolution: true,
  },
  {
    id: 'aws:ssm:send-command',
    description: 'runs an SSM document on the target instances',
    targets: { Instances: target('aws:ec2:instance') },
    parameters: {
      documentArn: { required: true, type: 'string', description: 'the ARN of the document' },
      documentVersion: { required: false, type: 'string', description: 'the version of the document' },
      documentParameters: { required: false, type: 'json', description: 'the document\u2019s parameters, as JSON' },
      duration: duration('how long the action runs', 1, 12 * HOUR),
    },
    permissions: [
      onTargets(['ssm:SendCommand'], 'the fault'),
      onArn(
        ['ssm:SendCommand'],
        arnPattern('ssm', 'document/*', 'no-account'),
        'the SSM document is named by the action parameter documentArn (an AWS-owned FIS document or yours)',
      ),
      onAny(
        ['ssm:ListCommands', 'ssm:CancelCommand', 'ec2:DescribeInstances'],
        'ListCommands/CancelCommand take no resource ARN',
      ),
    ],
  },
  {
    id: 'aws:network:disrupt-connectivity',
    description: 'denies the given traffic to the target subnets by swapping in a temporary network ACL',
    targets: { Subnets: target('aws:ec2:subnet') },
    parameters: {
      duration: duration('how long the fault lasts', MINUTE, 12 * HOUR),
      scope: {
        required: false,
        type: 'enum',
        values: ['all', 'availability-zone', 'dynamodb', 'prefix-list', 's3'],
        description: 'the traffic to deny (default all)',
      },
      prefixListIdentifier: {
        required: false,
        type: 'string',
        description: 'the prefix list, when scope is prefix-list',
      },
    },
    permissions: [
      onTargets(['ec2:ReplaceNetworkAclAssociation'], 'the fault'),
      onArn(
        [
          'ec2:CreateNetworkAcl',
          'ec2:CreateNetworkAclEntry',
          'ec2:DeleteNetworkAcl',
          'ec2:DeleteNetworkAclEntry',
          'ec2:ReplaceNetworkAclEntry',
          'ec2:ReplaceNetworkAclAssociation',
          'ec2:CreateTags',
        ],
        arnPattern('ec2', 'network-acl/*'),
        'FIS creates a temporary network ACL in the target subnets\u2019 VPC and swaps it in for the fault',
      ),
      onArn(['ec2:CreateNetworkAcl'], arnPattern('ec2', 'vpc/*'), 'the temporary ACL belongs to the VPC'),
      onAny([
        'ec2:DescribeNetworkAcls',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
        'ec2:DescribeManagedPrefixLists',
        'ec2:GetManagedPrefixListEntries',
      ]),
    ],
  },
  lambdaFault('aws:lambda:invocation-error', 'marks invocations of the target functions as failed', {
    preventExecution: { required: true, type: 'boolean', description: 'return the error without running the function' },
  }),
  lambdaFault('aws:lambda:invocation-add-delay', 'delays the start of invocations of the target functions', {
    startupDelayMilliseconds: {
      required: false,
      type: 'integer',
      min: 0,
      max: 900_000,
      description: 'the delay in milliseconds (default 1000)',
    },
  }),
  lambdaFault('aws:lambda:invocation-http-integration-response', 'replaces the HTTP response of the target functions', {
    statusCode: { required: true, type: 'integer', min: 100, max: 599, description: 'the HTTP status code' },
    contentTypeHeader: { required: true, type: 'string', description: 'the HTTP Content-Type header' },
    preventExecution: {
      required: true,
      type: 'boolean',
      description: 'return the response without running the function',
    },
  }),
  apiFault('aws:fis:inject-api-internal-error', 'fis:InjectApiInternalError', 'internal'),
  apiFault('aws:fis:inject-api-throttle-error', 'fis:InjectApiThrottleError', 'throttling'),
  apiFault('aws:fis:inject-api-unavailable-error', 'fis:InjectApiUnavailableError', 'unavailable'),
];

export const FIS_ACTIONS: Readonly<Record<string, FisActionSpec>> = Object.fromEntries(
  ACTIONS.map((spec) => [spec.id, spec]),
);

/** The action's spec, or undefined when the table does not know it. */
export function fisAction(id: string): FisActionSpec | undefined {
  return Object.hasOwn(FIS_ACTIONS, id) ? FIS_ACTIONS[id] : undefined;
}
