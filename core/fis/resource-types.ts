// The FIS resource types the action table uses: what a target of each type is (its ARN pattern), which target
// `parameters` FIS accepts for it, and whether its pool can be counted from AWS APIs (the blast-radius check).
// Sources: https://docs.aws.amazon.com/fis/latest/userguide/targets.html ("Resource types", "Resource parameters")
// and the "Resource type" line of each action in https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html

export interface FisTargetParameterSpec {
  readonly required: boolean;
  readonly description: string;
}

export interface FisResourceTypeSpec {
  readonly type: string;
  /** ARN of every resource of the type in an account and region, with ${Partition}/${Region}/${Account} placeholders */
  readonly arnPattern: string;
  /** target `parameters` FIS accepts for this type */
  readonly parameters: Readonly<Record<string, FisTargetParameterSpec>>;
  /** false where AWS APIs cannot count the pool (EKS pods chosen by label inside a cluster) */
  readonly poolCountable: boolean;
}

/**
 * An ARN pattern with ${Partition}/${Region}/${Account} placeholders. `global` services (IAM) have no region; S3
 * bucket and object ARNs have neither region nor account; `any-account` also matches AWS-owned resources, whose
 * ARNs have an empty account (the AWSFIS-* SSM documents).
 */
export function arnPattern(
  service: string,
  resource: string,
  scope: 'regional' | 'global' | 'bare' | 'any-account' = 'regional',
): string {
  const region = scope === 'regional' || scope === 'any-account' ? `\${Region}` : '';
  const account = { regional: `\${Account}`, global: `\${Account}`, bare: '', 'any-account': '*' }[scope];
  return `arn:\${Partition}:${service}:${region}:${account}:${resource}`;
}

const AZ = (what: string, required = false): FisTargetParameterSpec => ({
  required,
  description: `the code (us-east-1a) or AZ ID (use1-az1) of the Availability Zone that contains the target ${what}`,
});

function type(
  id: string,
  arn: string,
  parameters: Readonly<Record<string, FisTargetParameterSpec>> = {},
  poolCountable = true,
): FisResourceTypeSpec {
  return { type: id, arnPattern: arn, parameters, poolCountable };
}

const TYPES: FisResourceTypeSpec[] = [
  // Managed resources are load balancers, Auto Scaling groups and EKS clusters: ARNs of several services.
  type('aws:arc:zonal-shift-managed-resource', arnPattern('*', '*')),
  type('aws:directconnect:virtual-interface', arnPattern('directconnect', 'dxvif/*')),
  type('aws:dsql:cluster', arnPattern('dsql', 'cluster/*')),
  type('aws:dynamodb:global-table', arnPattern('dynamodb', 'table/*')),
  type('aws:ec2:autoscaling-group', arnPattern('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*')),
  type('aws:ec2:ebs-volume', arnPattern('ec2', 'volume/*'), { availabilityZoneIdentifier: AZ('volumes') }),
  type('aws:ec2:instance', arnPattern('ec2', 'instance/*')),
  type('aws:ec2:spot-instance', arnPattern('ec2', 'instance/*')),
  type('aws:ec2:subnet', arnPattern('ec2', 'subnet/*'), {
    availabilityZoneIdentifier: AZ('subnets'),
    vpc: { required: false, description: 'the VPC that contains the target subnets (one VPC per account)' },
  }),
  type('aws:ec2:transit-gateway', arnPattern('ec2', 'transit-gateway/*')),
  type('aws:ec2:vpc-endpoint', arnPattern('ec2', 'vpc-endpoint/*')),
  type('aws:ecs:cluster', arnPattern('ecs', 'cluster/*')),
  type('aws:ecs:task', arnPattern('ecs', 'task/*'), {
    cluster: { required: false, description: 'the cluster that contains the target tasks' },
    service: { required: false, description: 'the service that contains the target tasks' },
  }),
  type('aws:eks:cluster', arnPattern('eks', 'cluster/*')),
  type('aws:eks:nodegroup', arnPattern('eks', 'nodegroup/*')),
  // Pods have no ARN: FIS finds them inside a cluster by namespace and selector, so the pattern is the cluster's
  // and no AWS API can count the pool (Kubernetes can).
  type(
    'aws:eks:pod',
    arnPattern('eks', 'cluster/*'),
    {
      availabilityZoneIdentifier: AZ('pods'),
      clusterIdentifier: { required: true, description: 'the name or ARN of the target EKS cluster' },
      namespace: { required: true, description: 'the Kubernetes namespace of the target pods' },
      selectorType: { required: true, description: 'labelSelector, deploymentName or podName' },
      selectorValue: { required: true, description: 'the selector value, per selectorType' },
      targetContainerName: {
        required: false,
        description: 'the target container as named in the pod spec (default: the first container)',
      },
    },
    false,
  ),
  type('aws:elasticache:replicationgroup', arnPattern('elasticache', 'replicationgroup:*'), {
    availabilityZoneIdentifier: AZ('nodes', true),
  }),
  // The resource type of the older aws:elasticache:interrupt-cluster-az-power (Redis only).
  type('aws:elasticache:redis-replicationgroup', arnPattern('elasticache', 'replicationgroup:*'), {
    availabilityZoneIdentifier: AZ('nodes', true),
  }),
  type('aws:iam:role', arnPattern('iam', 'role/*', 'global')),
  type('aws:kinesis:stream', arnPattern('kinesis', 'stream/*')),
  type('aws:lambda:function', arnPattern('lambda', 'function:*'), {
    functionQualifier: { required: false, description: 'the version or alias of the function to target' },
  }),
  type('aws:memorydb:multi-region-cluster', arnPattern('memorydb', 'multiregioncluster/*', 'global')),
  type('aws:rds:cluster', arnPattern('rds', 'cluster:*'), {
    writerAvailabilityZoneIdentifiers: {
      required: false,
      description: 'the Availability Zones of the DB cluster writer: a comma-separated list, or all',
    },
  }),
  type('aws:rds:db', arnPattern('rds', 'db:*'), {
    availabilityZoneIdentifiers: {
      required: false,
      description: 'the Availability Zones of the DB instances: a comma-separated list, or all',
    },
  }),
  type('aws:s3:bucket', arnPattern('s3', '*', 'bare')),
];

export const FIS_RESOURCE_TYPES: Readonly<Record<string, FisResourceTypeSpec>> = Object.fromEntries(
  TYPES.map((spec) => [spec.type, spec]),
);

/** The resource type's spec, or undefined when FIS has no such type. */
export function fisResourceType(type: string): FisResourceTypeSpec | undefined {
  return Object.hasOwn(FIS_RESOURCE_TYPES, type) ? FIS_RESOURCE_TYPES[type] : undefined;
}
