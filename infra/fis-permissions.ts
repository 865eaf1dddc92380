// What an FIS experiment role needs for each action a template uses: a thin reader of the FIS action table
// (core/fis/actions.ts, DESIGN §2 "FIS actions"), which is the only place that knows an action's permissions. This
// file only turns the table's ARN patterns into this stack's ARNs and a target's resources into the statement's.
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { unknownFisActionMessage } from '../core/experiment/rules/fis-action-id.js';
import type { Target } from '../core/experiment/schema.js';
import { type FisPermission, fisAction } from '../core/fis/actions.js';
import { fisResourceType } from '../core/fis/resource-types.js';
import type { Permission } from './least-privilege.js';

/**
 * A template names an FIS action the table does not know: synth stops rather than deploy a role that cannot work.
 * `validate` refuses such files first (rule fis-action-id) and this says the same, for catalogs compiled without it.
 */
export class UnknownFisActionError extends Error {
  override readonly name = 'Shaketable.UnknownFisAction';
  constructor(
    readonly file: string,
    readonly action: string,
    readonly actionId: string,
  ) {
    super(`${file}  fault.template.actions.${action}.actionId  ${unknownFisActionMessage(actionId)}`);
  }
}

/** The table's ARN pattern with ${Partition}/${Region}/${Account} replaced by this stack's. */
function stackArn(scope: IConstruct, pattern: string): string {
  const stack = Stack.of(scope);
  const values: Record<string, string> = { Partition: stack.partition, Region: stack.region, Account: stack.account };
  return pattern.replace(/\$\{(Partition|Region|Account)\}/g, (_, name: string) => values[name]!);
}

/** ARN pattern of every resource of an FIS resource type in this stack's account and region. */
function resourceTypeArn(scope: IConstruct, resourceType: string): string | undefined {
  const spec = fisResourceType(resourceType);
  return spec === undefined ? undefined : stackArn(scope, spec.arnPattern);
}

/**
 * The permissions one action of a template needs, given the targets it acts on and its parameters (a permission
 * the table marks `whenParameter` is granted only when the action sets that parameter; without `parameters`, it is).
 */
export function permissionsFor(
  scope: IConstruct,
  file: string,
  actionName: string,
  actionId: string,
  targets: Target[],
  parameters?: Readonly<Record<string, string>>,
): Permission[] {
  const spec = fisAction(actionId);
  if (spec === undefined) throw new UnknownFisActionError(file, actionName, actionId);
  return spec.permissions
    .filter((p) => p.whenParameter === undefined || parameters === undefined || p.whenParameter in parameters)
    .flatMap((p) => {
      const resources = resourcesOf(scope, file, actionName, actionId, p, targets);
      if (resources.length === 0) return [];
      return [
        {
          actions: [...p.actions],
          resources,
          because: p.because,
          ...(p.condition ? { conditions: conditionsOf(scope, p.condition) } : {}),
        },
      ];
    });
}

function resourcesOf(
  scope: IConstruct,
  file: string,
  actionName: string,
  actionId: string,
  permission: FisPermission,
  targets: Target[],
): string[] {
  if (permission.on === 'any') return ['*'];
  if (permission.on !== 'targets') return [stackArn(scope, permission.on.arn)];
  return targets.flatMap((t) => {
    if (t.resourceArns) return t.resourceArns;
    const pattern = resourceTypeArn(scope, t.resourceType);
    // validate's fis-action-target-keys rule admits only the action's resource types, all of them in the table
    // (test/unit/fis/actions.test.ts): reaching this is a bug in the table, not in the file.
    if (pattern === undefined) {
      throw new Error(
        `${file}  fault.template.actions.${actionName}  ${actionId}: no ARN pattern for ${t.resourceType}`,
      );
    }
    return [pattern];
  });
}

function conditionsOf(scope: IConstruct, condition: NonNullable<FisPermission['condition']>): Permission['conditions'] {
  const fill = (value: string) => stackArn(scope, value);
  return Object.fromEntries(
    Object.entries(condition).map(([operator, block]) => [
      operator,
      Object.fromEntries(
        Object.entries(block).map(([key, value]) => [key, typeof value === 'string' ? fill(value) : value.map(fill)]),
      ),
    ]),
  );
}
