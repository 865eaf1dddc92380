// One way to grant anything in this app: explicit actions (never a `*` action) on explicit resources, and a
// written reason for every wildcard resource, acknowledged to cdk-nag (AwsSolutions-IAM5) finding by finding.
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

export interface Permission {
  actions: string[];
  resources: string[];
  conditions?: Record<string, Record<string, unknown>>;
  /** required when a resource contains `*`: why this cannot be narrower (shown in the cdk-nag acknowledgement) */
  because?: string;
}

/** A grant that would break the app's least-privilege rules; raised at synth, before anything is deployed. */
export class LeastPrivilegeError extends Error {
  override readonly name = 'Shaketable.LeastPrivilege';
}

/** Adds `permission` to `grantee`'s policy and acknowledges its wildcard resources on `grantee`. */
export function allow(grantee: iam.IGrantable & IConstruct, permission: Permission): void {
  const wildcardActions = permission.actions.filter((action) => action.includes('*'));
  if (wildcardActions.length > 0) {
    throw new LeastPrivilegeError(
      `${grantee.node.path}: wildcard actions are not allowed (${wildcardActions.join(', ')})`,
    );
  }
  const actions = [...new Set(permission.actions)].sort();
  const resources = [...new Set(permission.resources)];
  const wildcards = wildcardResources(grantee, resources);
  if (wildcards.length > 0 && permission.because === undefined) {
    throw new LeastPrivilegeError(
      `${grantee.node.path}: ${actions.join(', ')} on ${wildcards.join(', ')} needs a reason for the wildcard resource`,
    );
  }
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions,
      resources,
      ...(permission.conditions ? { conditions: permission.conditions } : {}),
    }),
  );
  for (const resource of wildcards) {
    acknowledge(grantee, `AwsSolutions-IAM5[Resource::${resource}]`, permission.because ?? '');
  }
}

/** The resources cdk-nag's IAM5 would report, in the form its finding ids use. */
export function wildcardResources(scope: IConstruct, resources: string[]): string[] {
  const stack = Stack.of(scope);
  return resources.map((resource) => flattenCfnReference(stack.resolve(resource))).filter((flat) => flat.includes('*'));
}

const reasons = new WeakMap<IConstruct, Map<string, string[]>>();

/**
 * Acknowledges one cdk-nag rule (or one finding `Rule[finding]`) on a construct, with the reason. The same
 * finding acknowledged twice on one construct (two statements on `*`) keeps every reason, joined.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  const byId = reasons.get(scope) ?? new Map<string, string[]>();
  reasons.set(scope, byId);
  const all = byId.get(id) ?? [];
  if (!all.includes(reason)) all.push(reason);
  byId.set(id, all);
  Validations.of(scope).acknowledge({ id, reason: all.join('; ') });
}
