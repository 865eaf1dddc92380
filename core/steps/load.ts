// Load: the catalog entry named by the execution input, and the run plan. Callers cannot name a template or
// inject fields: the input schema is strict and the definition always comes from the deployed catalog.
import { InvalidInputError } from '../errors.js';
import { messageFor } from '../experiment/zod-issues.js';
import type { ExternalTemplate } from '../ports.js';
import { startRun } from '../run/lifecycle.js';
import type { StepDeps } from './deps.js';
import { buildPlan, ExecutionInput, type Plan, withTemplate } from './plan.js';

export interface LoadEvent {
  input: unknown;
  runId: string;
  startedAt: string;
}

/**
 * Once the input names a catalog experiment, Load records the run as RUNNING: from there on every failure ends in
 * an ERROR result (through PublishError, or the Janitor for a Load that fails). With a templateId (every deployed
 * catalog experiment, and `fault.templateId` ones), it then reads the template back from FIS: the plan carries
 * what FIS will run (its tag, targets and stop conditions) to every later step.
 */
export type LoadDeps = Pick<StepDeps, 'catalog' | 'settings' | 'templates' | 'ledger'>;

export async function load(deps: LoadDeps, event: LoadEvent): Promise<{ plan: Plan }> {
  const parsed = ExecutionInput.safeParse(event.input, { error: messageFor });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'input';
    const detail = issue?.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue?.message;
    throw new InvalidInputError(
      `execution input: ${where}: ${detail}; expected {experiment, trigger?, gate?, allow?, dryRun?, gameday?}`,
    );
  }
  const names = await deps.catalog.list();
  if (!names.includes(parsed.data.experiment)) {
    throw new InvalidInputError(
      `execution input: experiment "${parsed.data.experiment}" is not in the deployed catalog (${names.join(', ') || 'empty'})`,
    );
  }
  const entry = await deps.catalog.get(parsed.data.experiment);
  const plan = buildPlan(entry, parsed.data, event.runId, event.startedAt, deps.settings);
  await startRun(deps, plan);
  const externalTemplate = entry.templateId ? await readTemplate(deps, entry.templateId) : undefined;
  return { plan: withTemplate(plan, externalTemplate) };
}

function readTemplate(deps: Pick<StepDeps, 'templates'>, templateId: string): Promise<ExternalTemplate> {
  if (!deps.templates)
    throw new Error(`template ${templateId}: no FIS templates here (the sandbox runs fault.template)`);
  return deps.templates.describe(templateId);
}
