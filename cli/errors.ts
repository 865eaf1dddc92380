// How the CLI fails: one clear line per problem on stderr, exit code 2 for bad input (DESIGN §3), and a
// stack trace only with --debug.
import { CommanderError } from 'commander';
import { formatIssue, ValidationError } from '../core/experiment/issues.js';
import { escapeControls } from '../core/report/format.js';
import { LocalStateError } from '../local/files/paths.js';

/** Bad input (flags, files, arguments): exit code 2. */
export const INVALID_INPUT_EXIT_CODE = 2;
/** An error of shaketable itself, as the ERROR verdict: exit code 4. */
export const INTERNAL_ERROR_EXIT_CODE = 4;
/**
 * AWS could not be reached, or refused us (network, no region or credentials, expired or rejected credentials,
 * access denied), and anything that fails after a run was started on AWS: exit code 5 (DESIGN §3), so a pipeline
 * tells "the experiment's verdict" (1, 3, 4) from "we never got a verdict".
 */
export const AWS_UNREACHABLE_EXIT_CODE = 5;

/** A mistake the user can fix; its message is the whole story, so no stack trace is shown. */
export class UserError extends Error {
  override readonly name = 'Shaketable.UserError';
  constructor(
    message: string,
    readonly exitCode: number = INVALID_INPUT_EXIT_CODE,
  ) {
    super(message);
  }
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Prints `error` for a person and returns the exit code it stands for. */
export function reportError(error: unknown, out: CliIo, debug: boolean): number {
  // Messages quote files (experiment keys, result.json fields, file names): their control characters are escaped, the
  // newline included, so that each stays one line; the newlines that end lines are added here.
  const io = { stderr: (line: string) => out.stderr(`${escapeControls(line.replace(/\n$/, ''))}\n`) };
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help); only the exit code is ours.
    return error.exitCode === 0 ? 0 : INVALID_INPUT_EXIT_CODE;
  }
  if (debug && error instanceof Error && error.stack) out.stderr(`${escapeControls(error.stack, '\n')}\n`);
  if (error instanceof ValidationError) {
    for (const issue of error.issues) io.stderr(`${formatIssue(issue)}\n`);
    return INVALID_INPUT_EXIT_CODE;
  }
  if (error instanceof LocalStateError) {
    // A damaged file under .shaketable/: the message names it and the fix.
    if (!debug) io.stderr(`error: ${error.message}\n`);
    return INVALID_INPUT_EXIT_CODE;
  }
  if (error instanceof UserError) {
    if (!debug) io.stderr(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (!debug) io.stderr(`error: ${firstLine(message)} (run with --debug for the stack trace)\n`);
  return INTERNAL_ERROR_EXIT_CODE;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
