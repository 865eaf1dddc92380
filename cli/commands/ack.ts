// `shaketable ack <runId> detected|mitigated [--note …] [--local]`: a responder's acknowledgement during a run
// (DESIGN §9 GameDays), recorded with its time and who made it on the run's entry — the run table on AWS (the caller's
// identity ARN from STS), the sandbox's ledger with --local (the OS user). A `mitigated` ack releases a GameDay run
// held for it. Runs accept acks until Evaluate decides their verdict; any other run is refused (one line, exit 2).
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../core/ports.js';
import {
  ACK_KINDS,
  type AckKind,
  type AckOutcome,
  AckRefusedError,
  type AckRequest,
  acknowledge,
} from '../../core/run/acks.js';
import { FileRunLedger } from '../../local/files/ledger.js';
import { DEFAULT_BASE_DIR } from '../../local/files/paths.js';
import { withAwsErrors } from '../aws/errors.js';
import { type AwsOptions, addAwsOptions, defaultSessionFactory, type SessionFactory } from '../aws/options.js';
import { printJson, RUN_ID } from '../aws/print.js';
import type { AwsSession } from '../aws/session.js';
import { UserError } from '../errors.js';
import type { CliContext } from '../main.js';
import { callerIdentity } from './approve.js';

export interface AckOptions extends AwsOptions {
  note?: string;
  local?: boolean;
  json?: boolean;
}

/** The ack commands a GameDay's responders run, as `gameday` prints them. */
export function ackCommands(runId: string, local: boolean): string[] {
  const where = local ? ' --local' : '';
  return ACK_KINDS.map((kind) => `npx shaketable ack ${runId} ${kind}${where} --note "…"`);
}

function parseKind(kind: string): AckKind {
  if (!(ACK_KINDS as readonly string[]).includes(kind)) {
    throw new UserError(`ack: "${kind}" is not an acknowledgement; use ${ACK_KINDS.join(' or ')}`);
  }
  return kind as AckKind;
}

/** The refusals of the ledger (unknown run, run already evaluated) are the user's to see: one line, exit 2. */
async function refusedAsUserError(work: Promise<AckOutcome>): Promise<AckOutcome> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AckRefusedError) throw new UserError(error.message);
    throw error;
  }
}

/**
 * Records an ack on a sandbox run, as `ack --local` does (the console's too): the OS user makes it, and the sandbox
 * run waiting for it watches its ledger entry (this process has no token to complete).
 */
export function ackLocal(baseDir: string, request: Omit<AckRequest, 'by'>): Promise<AckOutcome> {
  const ledger = new FileRunLedger(baseDir);
  return refusedAsUserError(acknowledge({ acks: ledger, clock: systemClock }, { ...request, by: userInfo().username }));
}

/** Records an ack on a run in AWS, as `ack` does (the console's too): the caller's identity makes it. */
export function ackOnAws(session: AwsSession, request: Omit<AckRequest, 'by'>): Promise<AckOutcome> {
  return withAwsErrors(async () =>
    refusedAsUserError(
      acknowledge(
        { acks: await session.ledger(), tokens: session.tokens(), clock: session.clock },
        { ...request, by: await callerIdentity(session.client('sts')) },
      ),
    ),
  );
}

/** The line `ack` prints for a recorded ack. */
export function ackLine(runId: string, { ack, run, released }: AckOutcome): string {
  const then = released ? '; the GameDay goes on to its verdict' : '';
  return `${ack.kind} ack recorded for run ${runId} (${run.experiment}) at ${ack.at} by ${ack.by}${then}`;
}

export function registerAckCommand(
  program: Command,
  context: CliContext,
  sessions: SessionFactory = defaultSessionFactory,
): void {
  const command = program
    .command('ack')
    .description(
      "record a responder's acknowledgement of a run (GameDays): detected or mitigated; mitigated releases a GameDay held for it",
    )
    .argument('<runId>', 'the run id, as `run` and `gameday` print it')
    .argument('<kind>', `what the responder saw or did: ${ACK_KINDS.join(' or ')}`)
    .option('--note <text>', 'what was seen or done; shown on the report timeline')
    .option('--local', 'a sandbox run (the ledger in .shaketable/) instead of AWS')
    .option('--json', 'print the recorded ack as JSON');
  addAwsOptions(command)
    .addHelpText(
      'after',
      '\nRecorded with its time and who made it (the AWS caller identity; the OS user with --local). Acks are accepted\nuntil the run is evaluated; time-to-detect and time-to-mitigate in result.json count from the fault start.\n\nExamples:\n  npx shaketable ack 20260310T100000-9c2e1a detected --note "p99 page fired"\n  npx shaketable ack 20260310T100000-9c2e1a mitigated --note "shifted traffic to eu-west-1"\n  npx shaketable ack 20260310T100000-9c2e1a mitigated --local',
    )
    .action(async (runId: string, kindArg: string, options: AckOptions) => {
      if (!RUN_ID.test(runId)) throw new UserError(`ack: "${runId}" is not a run id`);
      const kind = parseKind(kindArg);
      const note = options.note?.trim() ? { note: options.note.trim() } : {};
      if (options.local) {
        for (const flag of ['stack', 'region', 'profile'] as const) {
          if (options[flag] !== undefined) throw new UserError(`--${flag} applies to AWS runs, not --local`);
        }
      }
      const outcome = options.local
        ? await ackLocal(join(context.cwd, DEFAULT_BASE_DIR), { runId, kind, ...note })
        : await ackOnAws(await sessions(options), { runId, kind, ...note });
      const { ack, run } = outcome;
      if (options.json)
        printJson(context.io, { runId, experiment: run.experiment, ...ack, released: outcome.released });
      else context.io.stdout(`${ackLine(runId, outcome)}\n`);
      context.exitCode = 0;
    });
}
