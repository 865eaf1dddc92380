// What an FIS experiment role needs for each action a template uses: the table behind "its own FIS role with
// only the actions' permissions" (DESIGN §7). Sources: the AWS FIS actions reference and the AWS managed
// policies AWSFaultInjectionSimulator*Access (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html).
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Target } from '../core/experiment/schema.js';
import type { Permission } from './least-privilege.js';

/** A template names an FIS action this table does not know: synth stops rather than deploy a role that cannot work. */
export class UnknownFisActionError extends Error {
  override readonly name = 'Shaketable.UnknownFisAction';
  constructor(
    readonly file: string,
    readonly action: string,
    readonly actionId: string,
  ) {
    super(
      `${file}  fault.template.actions.${action}.actionId  FIS action "${actionId}" has no known permissions; ` +
        `supported: ${Object.keys(FIS_ACTIONS).sort().join(', ')}`,
    );
  }
}

interface ActionPermissions {
  /** actions on the resources the action targets (the target's ARNs, or every resource of its type in the account) */
  onTargets?: string[];
  /** further statements, each with its own resources */
  other?: (scope: IConstruct, actionId: string) => Permission[];
}

const any = (actions: string[], because: string): Permission => ({ actions, resources: ['*'], because });

const DESCRIBE_BECAUSE = 'FIS resolves targets by tags and filters; these Describe/List calls take no resource ARN';

export const FIS_ACTIONS: Record<string, ActionPermissions> = {
  'aws:fis:wait': {},
  'aws:ec2:terminate-instances': {
    onTargets: ['ec2:TerminateInstances'],
    other: () => [any(['ec2:DescribeInstances'], DESCRIBE_BECAUSE)],
  },
  'aws:ec2:stop-instances': {
    onTargets: ['ec2:StopInstances', 'ec2:StartInstances'],
    other: () => [any(['ec2:DescribeInstances'], DESCRIBE_BECAUSE)],
  },
  'aws:ec2:reboot-instances': {
    onTargets: ['ec2:RebootInstances'],
    other: () => [any(['ec2:DescribeInstances'], DESCRIBE_BECAUSE)],
  },
  'aws:ec2:send-spot-instance-interruptions': {
    onTargets: ['ec2:SendSpotInstanceInterruptions'],
    other: () => [any(['ec2:DescribeInstances'], DESCRIBE_BECAUSE)],
  },
  'aws:ecs:stop-task': {
    onTargets: ['ecs:StopTask', 'ecs:DescribeTasks'],
    other: () => [any(['ecs:ListTasks', 'ecs:ListClusters'], DESCRIBE_BECAUSE)],
  },
  'aws:ecs:drain-container-instances': {
    onTargets: ['ecs:UpdateContainerInstancesState', 'ecs:ListContainerInstances', 'ecs:DescribeClusters'],
    other: () => [any(['ecs:ListClusters'], DESCRIBE_BECAUSE)],
  },
  'aws:rds:failover-db-cluster': {
    onTargets: ['rds:FailoverDBCluster'],
    other: () => [any(['rds:DescribeDBClusters'], DESCRIBE_BECAUSE)],
  },
  'aws:rds:reboot-db-instances': {
    onTargets: ['rds:RebootDBInstance'],
    other: () => [any(['rds:DescribeDBInstances'], DESCRIBE_BECAUSE)],
  },
  'aws:ebs:pause-volume-io': {
    onTargets: ['ec2:PauseVolumeIO'],
    other: () => [any(['ec2:DescribeVolumes'], DESCRIBE_BECAUSE)],
  },
  'aws:ssm:send-command': {
    onTargets: ['ssm:SendCommand'],
    other: (scope) => [
      {
        actions: ['ssm:SendCommand'],
        resources: [
          Stack.of(scope).formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: '*' }),
        ],
        because: 'the SSM document is named by the action parameter documentArn (an AWS-owned FIS document or yours)',
      },
      any(
        ['ssm:ListCommands', 'ssm:CancelCommand', 'ec2:DescribeInstances'],
        'ListCommands/CancelCommand take no resource ARN',
      ),
    ],
  },
  'aws:network:disrupt-connectivity': {
    onTargets: ['ec2:ReplaceNetworkAclAssociation'],
    other: (scope) => {
      const stack = Stack.of(scope);
      const arn = (resource: string) => stack.formatArn({ service: 'ec2', resource, resourceName: '*' });
      return [
        {
          actions: [
            'ec2:CreateNetworkAcl',
            'ec2:CreateNetworkAclEntry',
            'ec2:DeleteNetworkAcl',
            'ec2:DeleteNetworkAclEntry',
            'ec2:ReplaceNetworkAclEntry',
            'ec2:ReplaceNetworkAclAssociation',
            'ec2:CreateTags',
          ],
          resources: [arn('network-acl'), arn('vpc')],
          because: 'FIS creates a temporary network ACL in the target subnets\u2019 VPC and swaps it in for the fault',
        },
        any(
          [
            'ec2:DescribeNetworkAcls',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
            'ec2:DescribeManagedPrefixLists',
            'ec2:GetManagedPrefixListEntries',
          ],
          DESCRIBE_BECAUSE,
        ),
      ];
    },
  },
  'aws:lambda:invocation-error': lambdaFault(),
  'aws:lambda:invocation-add-delay': lambdaFault(),
  'aws:lambda:invocation-http-integration-response': lambdaFault(),
  'aws:fis:inject-api-internal-error': apiFault(),
  'aws:fis:inject-api-throttle-error': apiFault(),
  'aws:fis:inject-api-unavailable-error': apiFault(),
  'aws:cloudwatch:assert-alarm-state': {
    other: () => [any(['cloudwatch:DescribeAlarms'], 'DescribeAlarms takes no resource ARN')],
  },
};

/** Lambda faults: FIS writes the fault configuration where the FIS extension reads it (an S3 `FisConfigs/` prefix). */
function lambdaFault(): ActionPermissions {
  return {
    onTargets: ['lambda:GetFunction'],
    other: () => [
      {
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: ['arn:aws:s3:::*/FisConfigs/*'],
        because:
          'the FIS Lambda extension reads its configuration from the bucket in each function\u2019s AWS_FIS_CONFIGURATION_LOCATION, under FisConfigs/',
      },
      any(['tag:GetResources'], DESCRIBE_BECAUSE),
    ],
  };
}

/** EC2 API faults on IAM roles: allowed only for the FIS action that asks for them. */
function apiFault(): ActionPermissions {
  return {
    other: (_scope, actionId) => [
      {
        actions: ['ec2:InjectApiError'],
        resources: ['*'],
        conditions: { 'ForAnyValue:StringEquals': { 'ec2:FisActionId': [actionId] } },
        because:
          'ec2:InjectApiError has no resource type; it is limited to this FIS action by the ec2:FisActionId condition',
      },
    ],
  };
}

/** ARN patterns of the FIS resource types, for actions on targets chosen by tags and filters. */
export function resourceTypeArn(scope: IConstruct, resourceType: string): string | undefined {
  const stack = Stack.of(scope);
  const slash = (service: string, resource: string) => stack.formatArn({ service, resource, resourceName: '*' });
  const colon = (service: string, resource: string) =>
    stack.formatArn({ service, resource, resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  switch (resourceType) {
    case 'aws:ec2:instance':
    case 'aws:ec2:spot-instance':
      return slash('ec2', 'instance');
    case 'aws:ec2:subnet':
      return slash('ec2', 'subnet');
    case 'aws:ec2:ebs-volume':
      return slash('ec2', 'volume');
    case 'aws:ecs:task':
      return slash('ecs', 'task');
    case 'aws:ecs:cluster':
      return slash('ecs', 'cluster');
    case 'aws:rds:cluster':
      return colon('rds', 'cluster');
    case 'aws:rds:db':
      return colon('rds', 'db');
    case 'aws:lambda:function':
      return colon('lambda', 'function');
    case 'aws:iam:role':
      return stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: '*' });
    default:
      return undefined;
  }
}

/** The permissions one action of a template needs, given the targets it acts on. */
export function permissionsFor(
  scope: IConstruct,
  file: string,
  actionName: string,
  actionId: string,
  targets: Target[],
): Permission[] {
  const entry = FIS_ACTIONS[actionId];
  if (entry === undefined) throw new UnknownFisActionError(file, actionName, actionId);
  const out: Permission[] = [];
  if (entry.onTargets && targets.length > 0) {
    const resources = targets.flatMap((t) => {
      if (t.resourceArns) return t.resourceArns;
      const pattern = resourceTypeArn(scope, t.resourceType);
      if (pattern === undefined) {
        throw new UnknownFisActionError(file, actionName, `${actionId} on resource type ${t.resourceType}`);
      }
      return [pattern];
    });
    out.push({
      actions: entry.onTargets,
      resources,
      because: `FIS picks the ${actionId} targets at run time by tags and filters; scoped to the resource type in this account and region`,
    });
  }
  out.push(...(entry.other?.(scope, actionId) ?? []));
  return out;
}
