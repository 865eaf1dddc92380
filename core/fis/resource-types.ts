// The FIS resource types the action table uses: what a target of each type is (its ARN pattern), which target
// `parameters` FIS accepts for it, and whether its pool can be counted from AWS APIs (the blast-radius check).
// Source: https://docs.aws.amazon.com/fis/latest/userguide/action-sequence.html#target-identification and the
// "Targets" line of each action in https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html

export interface FisResourceTypeSpec {
  readonly type: string;
  /** ARN of every resource of the type in an account and region, with ${Partition}/${Region}/${Account} placeholders */
  readonly arnPattern: string;
  /** target `parameters` FIS accepts for this type */
  readonly parameters: Readonly<Record<string, { readonly required: boolean; readonly description: string }>>;
  /** false where AWS APIs cannot count the pool (EKS pods chosen by label inside a cluster) */
  readonly poolCountable: boolean;
}

/**
 * An ARN pattern with ${Partition}/${Region}/${Account} placeholders. `global` services (IAM) have no region; S3
 * bucket and object ARNs have neither region nor account; AWS-owned SSM documents have no account.
 */
export function arnPattern(
  service: string,
  resource: string,
  scope: 'regional' | 'global' | 'no-account' | 'bare' = 'regional',
): string {
  const region = scope === 'regional' || scope === 'no-account' ? `\${Region}` : '';
  const account = scope === 'regional' || scope === 'global' ? `\${Account}` : '';
  return `arn:\${Partition}:${service}:${region}:${account}:${resource}`;
}
const arn = arnPattern;

function type(
  id: string,
  arnPattern: string,
  parameters: FisResourceTypeSpec['parameters'] = {},
  poolCountable = true,
): FisResourceTypeSpec {
  return { type: id, arnPattern, parameters, poolCountable };
}

export const FIS_RESOURCE_TYPES: Readonly<Record<string, FisResourceTypeSpec>> = Object.fromEntries(
  [
    type('aws:ec2:instance', arn('ec2', 'instance/*')),
    type('aws:ec2:spot-instance', arn('ec2', 'instance/*')),
    type('aws:ec2:subnet', arn('ec2', 'subnet/*')),
    type('aws:ec2:ebs-volume', arn('ec2', 'volume/*')),
    type('aws:ecs:cluster', arn('ecs', 'cluster/*')),
    type('aws:ecs:task', arn('ecs', 'task/*')),
    type('aws:iam:role', arn('iam', 'role/*', 'global')),
    type('aws:lambda:function', arn('lambda', 'function:*')),
    type('aws:rds:cluster', arn('rds', 'cluster:*')),
    type('aws:rds:db', arn('rds', 'db:*')),
  ].map((spec) => [spec.type, spec]),
);

/** The resource type's spec, or undefined when FIS has no such type. */
export function fisResourceType(type: string): FisResourceTypeSpec | undefined {
  return Object.hasOwn(FIS_RESOURCE_TYPES, type) ? FIS_RESOURCE_TYPES[type] : undefined;
}
