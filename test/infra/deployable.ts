// Test helper: which validated experiments this build's FIS roles can grant. `validate` reads the FIS action table
// (core/fis/actions.ts); infra/fis-permissions.ts throws UnknownFisActionError for an action or target resource type
// it has no permissions for. Until the CDK reads that same table (DESIGN §2 "FIS actions"), synth tests deploy what
// the CDK can grant and name the rest, each of which must be an action (and resource type) the table knows.
import { App, Stack } from 'aws-cdk-lib';
import type { CatalogExperiment } from '../../infra/constructs/catalog.js';
import { permissionsFor, UnknownFisActionError } from '../../infra/fis-permissions.js';

export interface AwaitingPermissions {
  file: string;
  /** `actionId`, or `actionId on resource type T`, as UnknownFisActionError names what the CDK cannot grant */
  unknown: string[];
}

/** Splits `experiments` into those whose every action the CDK grants, and those it refuses with UnknownFisAction. */
export function splitDeployable(experiments: readonly CatalogExperiment[]): {
  deployable: CatalogExperiment[];
  awaiting: AwaitingPermissions[];
} {
  const scope = new Stack(new App(), 'Probe', { env: { account: '123456789012', region: 'us-east-1' } });
  const deployable: CatalogExperiment[] = [];
  const awaiting: AwaitingPermissions[] = [];
  for (const entry of experiments) {
    const template = entry.experiment.fault.template;
    const unknown = new Set<string>();
    for (const [name, action] of Object.entries(template?.actions ?? {})) {
      const targets = Object.values(action.targets ?? {}).flatMap((t) => {
        const target = template?.targets[t];
        return target ? [target] : [];
      });
      try {
        permissionsFor(scope, entry.file, name, action.actionId, targets);
      } catch (error) {
        if (!(error instanceof UnknownFisActionError)) throw error;
        unknown.add(error.actionId);
      }
    }
    if (unknown.size === 0) deployable.push(entry);
    else awaiting.push({ file: entry.file, unknown: [...unknown].sort() });
  }
  return { deployable, awaiting };
}

/** `actionId` or `actionId on resource type T` as the pair it names. */
export function unknownParts(unknown: string): { actionId: string; resourceType?: string } {
  const [actionId, resourceType] = unknown.split(' on resource type ');
  return resourceType === undefined ? { actionId: actionId! } : { actionId: actionId!, resourceType };
}
