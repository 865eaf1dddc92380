// `shaketable actions [action] [--json]`: the FIS action table (core/fis, DESIGN §2 "FIS actions") — each action's
// target keys and resource types, parameters with their types and ranges, and the permissions its FIS role gets.
import type { Command } from 'commander';
import { closestName } from '../../core/did-you-mean.js';
import { secondsToIso } from '../../core/duration.js';
import { FIS_ACTIONS, type FisActionSpec, type FisParameterSpec } from '../../core/fis/actions.js';
import { FIS_RESOURCE_TYPES } from '../../core/fis/resource-types.js';
import { printJson } from '../aws/print.js';
import { UserError } from '../errors.js';
import type { CliContext } from '../main.js';

/** The actions whose id is `filter` or starts with it (`aws:ecs` lists the ECS family); all without a filter. */
export function selectActions(filter?: string): FisActionSpec[] {
  const all = Object.values(FIS_ACTIONS).sort((a, b) => a.id.localeCompare(b.id));
  if (filter === undefined) return all;
  const chosen = all.filter((a) => a.id === filter || a.id.startsWith(filter.endsWith(':') ? filter : `${filter}:`));
  if (chosen.length > 0) return chosen;
  const close = closestName(filter, Object.keys(FIS_ACTIONS));
  throw new UserError(
    `unknown FIS action "${filter}"${close ? ` (did you mean ${close}?)` : ''}; run \`shaketable actions\` for the list`,
  );
}

/** A parameter's type and bounds in one phrase: `duration PT1M-PT12H`, `integer 1-100`, `one of tcp, udp`. */
export function describeParameter(p: FisParameterSpec): string {
  const show = p.type === 'duration' ? secondsToIso : String;
  const range =
    p.min !== undefined && p.max !== undefined
      ? ` ${show(p.min)}-${show(p.max)}`
      : p.min !== undefined
        ? ` >= ${show(p.min)}`
        : p.max !== undefined
          ? ` <= ${show(p.max)}`
          : '';
  const kind = p.type === 'enum' ? `one of ${p.values?.join(', ')}` : `${p.type}${range}`;
  return `${p.required ? 'required' : 'optional'} ${kind}${p.lengthensFault ? ', lengthens the fault' : ''}`;
}

export function formatActions(actions: readonly FisActionSpec[]): string {
  const blocks = actions.map((a) => {
    const lines = [`${a.id}  ${a.description}`];
    const targets = Object.entries(a.targets);
    lines.push(
      targets.length === 0
        ? '  targets      none'
        : `  targets      ${targets.map(([key, t]) => `${key}: ${t.resourceTypes.join(' | ')}`).join('; ')}`,
    );
    // what a target of each type may or must say under `parameters` (aws:eks:pod: clusterIdentifier, namespace…)
    const types = [...new Set(targets.flatMap(([, t]) => t.resourceTypes))];
    for (const type of types) {
      const spec = FIS_RESOURCE_TYPES[type];
      const names = Object.entries(spec?.parameters ?? {}).map(([n, p]) => (p.required ? `${n} (required)` : n));
      if (names.length > 0) lines.push(`               ${type} target parameters: ${names.join(', ')}`);
      if (spec && !spec.poolCountable) {
        lines.push(
          `               ${type}: AWS APIs cannot count its pool; list the target in guardrails.blastRadius.uncounted`,
        );
      }
    }
    const parameters = Object.entries(a.parameters);
    if (parameters.length === 0) lines.push('  parameters   none');
    parameters.forEach(([name, p], i) => {
      lines.push(`  ${i === 0 ? 'parameters   ' : '             '}${name}  ${describeParameter(p)}: ${p.description}`);
    });
    if (a.permissions.length === 0) lines.push('  permissions  none (no IAM permission needed)');
    a.permissions.forEach((p, i) => {
      const on = p.on === 'targets' ? 'the targets' : p.on === 'any' ? '*' : p.on.arn;
      const when = p.whenParameter ? ` (when ${p.whenParameter} is set)` : '';
      const condition = p.condition ? ` if ${JSON.stringify(p.condition)}` : '';
      lines.push(`  ${i === 0 ? 'permissions  ' : '             '}${p.actions.join(', ')} on ${on}${condition}${when}`);
    });
    const notes = [
      a.needsTagResolution ? 'targets chosen by tags are resolved with tag:GetResources' : '',
      a.needsKmsGrant ? 'restarting instances with encrypted volumes needs kms:CreateGrant' : '',
    ].filter(Boolean);
    if (notes.length > 0) lines.push(`  notes        ${notes.join('; ')}`);
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n\n${actions.length} FIS action${actions.length === 1 ? '' : 's'}\n`;
}

export function registerActionsCommand(program: Command, context: CliContext): void {
  program
    .command('actions')
    .description('list the FIS actions shaketable knows: targets, parameters and ranges, permissions')
    .argument('[action]', 'one action id, or a family such as aws:ecs')
    .option('--json', 'print the actions and resource types as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  npx shaketable actions\n  npx shaketable actions aws:ec2:stop-instances\n  npx shaketable actions aws:eks --json',
    )
    .action((filter: string | undefined, options: { json?: boolean }) => {
      const actions = selectActions(filter);
      if (options.json) {
        const types = new Set(actions.flatMap((a) => Object.values(a.targets).flatMap((t) => t.resourceTypes)));
        printJson(context.io, {
          actions,
          resourceTypes: Object.values(FIS_RESOURCE_TYPES).filter((t) => types.has(t.type)),
        });
      } else {
        context.io.stdout(formatActions(actions));
      }
      context.exitCode = 0;
    });
}
