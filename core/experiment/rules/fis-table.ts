// What the FIS rules share: the AWS actions and targets of a template, each with its entry in the FIS action table
// (core/fis). Sandbox files (provider: local) have none: their vocabulary is checked by local-faults.
import { type FisActionSpec, fisAction } from '../../fis/actions.js';
import { type FisResourceTypeSpec, fisResourceType } from '../../fis/resource-types.js';
import type { IssuePath } from '../issues.js';
import { asString, at, entriesAt, providerOf } from './rule.js';

export interface TemplateAction {
  name: string;
  raw: unknown;
  id: string;
  /** undefined when the table does not know the id (fis-action-id reports it) */
  spec: FisActionSpec | undefined;
  path: IssuePath;
}

export interface TemplateTarget {
  name: string;
  raw: unknown;
  resourceType: string | undefined;
  spec: FisResourceTypeSpec | undefined;
  path: IssuePath;
}

/** The actions of an AWS experiment's template (none for a sandbox file or a templateId). */
export function awsActions(raw: unknown): TemplateAction[] {
  if (providerOf(raw) === 'local') return [];
  return entriesAt(raw, 'fault', 'template', 'actions').flatMap(([name, spec]) => {
    const id = asString(at(spec, 'actionId'));
    if (id === undefined || id.startsWith('local:')) return [];
    return [{ name, raw: spec, id, spec: fisAction(id), path: ['fault', 'template', 'actions', name] }];
  });
}

/** The targets of an AWS experiment's template, by name. */
export function awsTargets(raw: unknown): Map<string, TemplateTarget> {
  if (providerOf(raw) === 'local') return new Map();
  return new Map(
    entriesAt(raw, 'fault', 'template', 'targets').map(([name, spec]) => {
      const resourceType = asString(at(spec, 'resourceType'));
      const target: TemplateTarget = {
        name,
        raw: spec,
        resourceType,
        spec: resourceType === undefined ? undefined : fisResourceType(resourceType),
        path: ['fault', 'template', 'targets', name],
      };
      return [name, target];
    }),
  );
}

/** `a, b or c` for messages. */
export function oneOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
