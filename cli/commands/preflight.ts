// `shaketable preflight <name>`: every guardrail check against AWS right now (kill switch, window, holidays,
// blackouts, alarms, blast radius, external template tag), with the same adapters and rules as the workflow's
// Preflight step — but it takes no lock, records no run and starts nothing. Exit 0 when all pass, 3 otherwise.
import type { Command } from 'commander';
import type { Experiment } from '../../core/experiment/schema.js';
import type { PreflightOutcome } from '../../core/guardrails/preflight.js';
import type { ExternalTemplate } from '../../core/ports.js';
import { exitCodeFor } from '../../core/result/model.js';
import type { StepDeps } from '../../core/steps/deps.js';
import { buildPlan, ExecutionInput, withTemplate } from '../../core/steps/plan.js';
import { checkGuardrails, type GuardrailDeps } from '../../core/steps/preflight.js';
import { resolveTargets } from '../../core/steps/resolve-targets.js';
import { AWS_SETTINGS } from '../../core/steps/settings.js';
import type { CatalogIds } from '../../functions/aws/ssm.js';
import { withAwsErrors } from '../aws/errors.js';
import { type AwsOptions, addAwsOptions, defaultSessionFactory, type SessionFactory } from '../aws/options.js';
import { printJson } from '../aws/print.js';
import { UserError } from '../errors.js';
import { resolveExperiment } from '../experiment-file.js';
import type { CliContext } from '../main.js';

export type PreflightDeps = GuardrailDeps &
  Pick<StepDeps, 'targets'> & { templates: NonNullable<StepDeps['templates']> };

/**
 * The workflow's own steps without their side effects: the template read back from FIS when the catalog names one
 * (Load), each resource type's pools (ResolveTargets), then Preflight's guardrail checks — but no lock is taken and
 * no run is recorded.
 */
export async function checkPreflight(
  deps: PreflightDeps,
  experiment: Experiment,
  ids: CatalogIds,
): Promise<PreflightOutcome> {
  const templateId = ids.templateId ?? experiment.fault.templateId;
  const externalTemplate: ExternalTemplate | undefined = templateId
    ? await deps.templates.describe(templateId)
    : undefined;
  const entry = { experiment, compiledAlarms: ids.compiledAlarms, ...(templateId ? { templateId } : {}) };
  const input = ExecutionInput.parse({ experiment: experiment.name });
  const now = deps.clock.now().toISOString();
  const plan = withTemplate(buildPlan(entry, input, 'preflight', now, AWS_SETTINGS), externalTemplate);
  const pools = await Promise.all(plan.targetGroups.map((group) => resolveTargets(deps, { group })));
  return (await checkGuardrails(deps, { plan, pools })).outcome;
}

/** Where the checked experiment came from: the file as it is now, and whether the catalog has it deployed. */
export interface PreflightSources {
  /** the experiment file read: its guardrails, alarms and targets are checked as written there */
  file: string;
  /** the deployed catalog's ids were read (compiled abortWhen alarms, template id) */
  deployed: boolean;
  /** compiled abortWhen alarms checked, from the deployed catalog */
  compiledAlarms: number;
  /** abortWhen thresholds of the file whose alarms do not exist before deploy (so are not checked) */
  undeployedAbortWhen: number;
}

export function formatSources(s: PreflightSources): string[] {
  const lines = [`  from ${s.file}: guardrails (window, holidays, blackouts), alarms and blast radius, as written now`];
  if (s.deployed) {
    lines.push(`  from the deployed catalog: ${s.compiledAlarms} compiled abortWhen alarm(s) and the template id`);
  } else {
    lines.push(
      `  not deployed yet: ${s.undeployedAbortWhen ? `its ${s.undeployedAbortWhen} abortWhen alarm(s) are created by npx cdk deploy and were not checked` : 'nothing of it is read from the catalog'}`,
    );
  }
  return lines;
}

export function formatPreflight(
  experiment: string,
  region: string,
  outcome: PreflightOutcome,
  sources?: PreflightSources,
): string {
  // Check messages start with the check's name (`window: …`), so the name is not repeated.
  const lines = [
    `preflight ${experiment} (${region}); nothing is started and no lock is taken`,
    ...(sources ? formatSources(sources) : []),
    ...outcome.checks.map((c) => `  ${c.ok ? '✓' : '✗'} ${c.message}`),
  ];
  const refused = outcome.checks.filter((c) => !c.ok).length;
  lines.push(
    refused === 0
      ? `all ${outcome.checks.length} checks passed: a run started now would go ahead`
      : `${refused} of ${outcome.checks.length} checks refused: a run started now would be SKIPPED`,
  );
  return `${lines.join('\n')}\n`;
}

export function registerPreflightCommand(
  program: Command,
  context: CliContext,
  sessions: SessionFactory = defaultSessionFactory,
): void {
  const command = program
    .command('preflight')
    .description('run only the guardrail checks against AWS: nothing is started, no lock is taken')
    .argument(
      '<experiment>',
      'a catalog experiment name (experiments/<name>.yaml), or a file: checked as written, deployed or not',
    )
    .option('--json', 'print {experiment, ok, checks[]} as JSON');
  addAwsOptions(command, { stack: false })
    .addHelpText(
      'after',
      '\nExit code: 0 when every check passes, 3 when one refuses (the run would be SKIPPED).\n\nExamples:\n  npx shaketable preflight checkout-instance-loss\n  npx shaketable preflight experiments/checkout-instance-loss.yaml --region eu-central-1 --json\n\nA file is checked as written now, before deploy: its guardrails, alarms and targets against the live account;\nthe output says which parts come from the file and which from the deployed catalog.',
    )
    .action(async (arg: string, options: AwsOptions & { json?: boolean }) => {
      const { file, experiment } = await resolveExperiment(arg, context.cwd);
      // A path (not a catalog name) may be an edited or new file: checked before deploy, without the catalog's ids.
      const givenAsFile = file === arg;
      if (experiment.provider === 'local') {
        throw new UserError(
          `${file}: "${experiment.name}" is a local experiment; run it with npx shaketable run ${file} --local`,
        );
      }
      const session = await sessions(options);
      const { CatalogIdsNotFoundError } = await import('../../functions/aws/ssm.js');
      const abortWhen = Object.keys(experiment.guardrails?.abortWhen ?? {}).length;
      const { outcome, region, sources } = await withAwsErrors(async () => {
        let deployed = true;
        const ids = await session
          .catalogIds()
          .read(experiment.name)
          .catch((error: unknown) => {
            if (!(error instanceof CatalogIdsNotFoundError)) throw error;
            if (givenAsFile) {
              deployed = false;
              return { compiledAlarms: [] } satisfies CatalogIds;
            }
            throw new UserError(
              `experiment "${experiment.name}" is not deployed (no SSM parameter ${error.parameter}); deploy the catalog with npx cdk deploy first`,
            );
          });
        // The CLI has date-holidays itself (the Lambda reads the tables the CDK bundled); loaded here, not at start-up.
        const { publicHolidaysOn } = await import('../../core/guardrails/date-holidays-calendar.js');
        // The freeze adapters bring the SSM and CloudFormation clients: loaded by this command, not at start-up.
        const { CloudFormationDeployments, SsmChangeCalendar } = await import('../../functions/aws/freezes.js');
        const deps: PreflightDeps = {
          clock: session.clock,
          killSwitch: session.killSwitch(),
          alarms: session.alarms(),
          targets: session.targetPools(),
          templates: session.templates(),
          holidays: publicHolidaysOn,
          // Read only for guardrails.requires: the run table's name comes from the deployed stack's outputs.
          ledger: { listRuns: async (filter) => (await session.ledger()).listRuns(filter) },
          changeCalendar: new SsmChangeCalendar(session.client('ssm')),
          deployments: new CloudFormationDeployments(session.client('cloudFormation')),
        };
        const sources: PreflightSources = {
          file,
          deployed,
          compiledAlarms: ids.compiledAlarms.length,
          undeployedAbortWhen: deployed ? 0 : abortWhen,
        };
        return { outcome: await checkPreflight(deps, experiment, ids), region: await session.region(), sources };
      });
      if (options.json) {
        printJson(context.io, { experiment: experiment.name, ok: outcome.ok, sources, checks: outcome.checks });
      } else context.io.stdout(formatPreflight(experiment.name, region, outcome, sources));
      context.exitCode = outcome.ok ? 0 : exitCodeFor('SKIPPED');
    });
}
