// GameDay acknowledgements (DESIGN §9), in one place: recording a responder's `detected` / `mitigated` (the CLI on
// AWS and in the sandbox, the tests), releasing a run held for mitigation, and reading them back in time order.
import { ShaketableError } from '../errors.js';
import type { AckLedger, AckRefusal, Clock, RunRecord, TaskTokens } from '../ports.js';
import type { Ack } from '../result/model.js';

export type AckKind = Ack['kind'];
export const ACK_KINDS: readonly AckKind[] = ['detected', 'mitigated'];

/** An ack the ledger did not take: the run is unknown or its verdict is already decided. */
export class AckRefusedError extends ShaketableError {
  constructor(
    message: string,
    readonly refusal: AckRefusal,
  ) {
    super('Shaketable.AckRefused', message);
  }
}

export interface AckRequest {
  runId: string;
  kind: AckKind;
  /** who acknowledges: the caller's identity ARN on AWS, the OS user in the sandbox */
  by: string;
  note?: string;
}

export interface AckOutcome {
  ack: Ack;
  run: RunRecord;
  /** whether this ack released a GameDay run held for mitigation (false when nothing was holding, or locally) */
  released: boolean;
}

/**
 * Records the ack, timed now, on the run's ledger entry; a `mitigated` ack then releases the run's hold when it is
 * waiting (HoldForMitigation stored its token). `tokens` is absent where this process cannot complete the waiting
 * task (the sandbox's `ack --local` runs beside the sandbox, which watches its ledger entry instead).
 */
export async function acknowledge(
  deps: { acks: AckLedger; clock: Clock; tokens?: TaskTokens },
  request: AckRequest,
): Promise<AckOutcome> {
  const ack: Ack = {
    kind: request.kind,
    at: deps.clock.now().toISOString(),
    by: request.by,
    ...(request.note ? { note: request.note } : {}),
  };
  const outcome = await deps.acks.appendAck(request.runId, ack);
  if (!outcome.accepted) throw new AckRefusedError(refusalMessage(request.runId, outcome), outcome.refusal);
  const released = deps.tokens ? await releaseHold(deps.tokens, outcome.run) : false;
  return { ack, run: outcome.run, released };
}

function refusalMessage(runId: string, outcome: { refusal: AckRefusal; run?: RunRecord }): string {
  if (outcome.refusal === 'unknown') {
    return `run ${runId} is not a recorded run; list runs with npx shaketable history <experiment>`;
  }
  const run = outcome.run;
  const verdict = run?.verdict ? ` (${run.verdict})` : '';
  return `run ${runId}${run ? ` of ${run.experiment}` : ''} is already evaluated${verdict}: acks are accepted only until its verdict is decided`;
}

/** What a released hold's task is completed with (HoldForMitigation's result). */
export interface HoldRelease {
  mitigatedBy: string;
  at: string;
}

/**
 * Completes the hold of a GameDay run once it has both a hold token and a `mitigated` ack. Called by whoever comes
 * second — `ack` (the run was already holding), HoldForMitigation (the ack came first), the sandbox's watch of its
 * ledger — so no order of the two loses the release; completing a token twice is harmless (TaskTokens).
 */
export async function releaseHold(tokens: TaskTokens, run: RunRecord): Promise<boolean> {
  const mitigated = run.acks?.find((a) => a.kind === 'mitigated');
  if (!run.holdToken || !mitigated) return false;
  const release: HoldRelease = { mitigatedBy: mitigated.by, at: mitigated.at };
  return tokens.succeed(run.holdToken, release);
}

/** Acks in time order (stable: two acks of the same instant keep the order they were recorded in). */
export function inTimeOrder(acks: readonly Ack[]): Ack[] {
  return acks
    .map((ack, i) => ({ ack, i }))
    .sort((a, b) => Date.parse(a.ack.at) - Date.parse(b.ack.at) || a.i - b.i)
    .map(({ ack }) => ack);
}

/** The first ack of `kind` at or after `start` (epoch ms), from acks in time order. */
export function firstAckAfter(acks: readonly Ack[], kind: AckKind, start: number): Ack | undefined {
  return acks.find((a) => a.kind === kind && Date.parse(a.at) >= start);
}

/** `response.detectedBy` of a human detection: `ack:<by>` (an alarm's detection is the alarm's name). */
export function ackDetector(ack: Ack): string {
  return `ack:${ack.by}`;
}
