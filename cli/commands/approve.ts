// `shaketable approve <runId>` / `reject <runId> [--reason …]`: answer a run waiting in its Approval state
// (guardrails.approval) by completing the task token the Approval step stored in the run table:
// SendTaskSuccess {approved: true, by} or SendTaskFailure `Shaketable.ApprovalRejected` (the run is then SKIPPED).
import type { STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import type { RunLedger, TaskTokens } from '../../core/ports.js';
import { withAwsErrors } from '../aws/errors.js';
import { type AwsOptions, addAwsOptions, defaultSessionFactory, type SessionFactory } from '../aws/options.js';
import { printJson, RUN_ID } from '../aws/print.js';
import { UserError } from '../errors.js';
import type { CliContext } from '../main.js';

/** The error name the ASL's Approval Catch turns into a SKIPPED run (statemachines/experiment.asl.json). */
export const APPROVAL_REJECTED = 'Shaketable.ApprovalRejected';

export type ApprovalAnswer = { approve: true } | { approve: false; reason?: string };

export interface ApprovalDeps {
  ledger: RunLedger;
  tokens: TaskTokens;
  /** who answers, as recorded in the execution history */
  whoAmI(): Promise<string>;
}

export interface ApprovalOutcome {
  runId: string;
  experiment: string;
  decision: 'approved' | 'rejected';
  by: string;
  reason?: string;
}

export async function answerApproval(
  deps: ApprovalDeps,
  runId: string,
  answer: ApprovalAnswer,
): Promise<ApprovalOutcome> {
  if (!RUN_ID.test(runId)) throw new UserError(`"${runId}" is not a run id`);
  const run = await deps.ledger.getRun(runId);
  if (!run)
    throw new UserError(`run ${runId} is not in the run table; list runs with npx shaketable history <experiment>`);
  if (run.status !== 'RUNNING') {
    throw new UserError(
      `run ${runId} is not waiting for approval: it has ended${run.verdict ? ` (${run.verdict})` : ''}`,
    );
  }
  if (!run.approvalToken) {
    throw new UserError(
      `run ${runId} is not waiting for approval: it has not reached the Approval state, or ${run.experiment} does not require approval`,
    );
  }
  const by = await deps.whoAmI();
  const reason = answer.approve ? undefined : (answer.reason ?? 'no reason given');
  const delivered = answer.approve
    ? await deps.tokens.succeed(run.approvalToken, { approved: true, by })
    : await deps.tokens.fail(run.approvalToken, APPROVAL_REJECTED, `rejected by ${by}: ${reason}`);
  if (!delivered) {
    throw new UserError(
      `run ${runId} is no longer waiting for approval: it was already answered or its approval timed out (shaketable status ${runId})`,
    );
  }
  return {
    runId,
    experiment: run.experiment,
    decision: answer.approve ? 'approved' : 'rejected',
    by,
    ...(reason ? { reason } : {}),
  };
}

/** The caller's identity ARN from STS (works with any credentials, no permission needed), else $USER. */
export async function callerIdentity(sts: STSClient, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
  return Arn ?? env.USER ?? 'unknown user';
}

function register(program: Command, context: CliContext, sessions: SessionFactory, approve: boolean): void {
  const name = approve ? 'approve' : 'reject';
  const command = program
    .command(name)
    .description(
      approve
        ? 'approve a run waiting for approval (guardrails.approval): it goes on to the baseline and the fault'
        : 'reject a run waiting for approval: nothing is injected and the run is SKIPPED',
    )
    .argument('<runId>', 'the run id (execution name), as shown by run, status and the approval notification');
  if (!approve) command.option('--reason <text>', 'why; recorded in the execution history and the result');
  command.option('--json', 'print the outcome as JSON');
  addAwsOptions(command)
    .addHelpText(
      'after',
      approve
        ? '\nExample:\n  npx shaketable approve 20260310T100000-9c2e1a'
        : '\nExample:\n  npx shaketable reject 20260310T100000-9c2e1a --reason "release freeze today"',
    )
    .action(async (runId: string, options: AwsOptions & { reason?: string; json?: boolean }) => {
      const session = await sessions(options);
      const outcome = await withAwsErrors(async () =>
        answerApproval(
          {
            ledger: await session.ledger(),
            tokens: session.tokens(),
            whoAmI: () => callerIdentity(session.client('sts')),
          },
          runId,
          approve ? { approve: true } : { approve: false, ...(options.reason ? { reason: options.reason } : {}) },
        ),
      );
      if (options.json) printJson(context.io, outcome);
      else
        context.io.stdout(
          `${outcome.decision} run ${outcome.runId} (${outcome.experiment}) as ${outcome.by}${outcome.reason ? `: ${outcome.reason}` : ''}\n`,
        );
      context.exitCode = 0;
    });
}

export function registerApproveCommand(
  program: Command,
  context: CliContext,
  sessions: SessionFactory = defaultSessionFactory,
): void {
  register(program, context, sessions, true);
}

export function registerRejectCommand(
  program: Command,
  context: CliContext,
  sessions: SessionFactory = defaultSessionFactory,
): void {
  register(program, context, sessions, false);
}
