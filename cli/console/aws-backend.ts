// The console against the deployed stack (found as `run` finds it: --stack/--region/--profile, the stack's
// outputs): the catalog from experiments/ and the run table, reports rendered from result.json in S3, runs started
// and followed by the code of `run --wait`, and halt/resume/approve/reject by the code of those commands.

import { EXPERIMENT_NAME } from '../../core/experiment/schema.js';
import { reportRenderer } from '../../core/report/chart-library.js';
import type { Result } from '../../core/result/model.js';
import { computeScorecard } from '../../core/scorecard/compute.js';
import { renderScorecardHtml } from '../../core/scorecard/html.js';
import { withAwsErrors } from '../aws/errors.js';
import { type AwsOptions, defaultSessionFactory, HALT_PARAMETER } from '../aws/options.js';
import { RUN_ID } from '../aws/print.js';
import { newRunId, runOnAwsWith } from '../aws/run.js';
import type { AwsSession } from '../aws/session.js';
import { ackLine, ackOnAws } from '../commands/ack.js';
import { answerApproval, callerIdentity } from '../commands/approve.js';
import { formatHalt, haltOnAws } from '../commands/halt.js';
import { resume } from '../commands/resume.js';
import { readCatalogFiles, readHistory } from '../commands/scorecard.js';
import type { AckKindName, CatalogItem, ConsoleState, RunRow } from './api.js';
import { type ConsoleBackend, ConsoleRequestError, LiveRun, type StartRequest } from './backend.js';
import { catalogItems } from './catalog.js';
import { oneLine, runRows } from './rows.js';

const CATALOG_DAYS = 30;
const HISTORY_LIMIT = 50;
/** How often a followed execution is polled, as `run --wait` does. */
const POLL_MS = 5000;
/** A phase line of `run --wait` (cli/aws/follow.ts describeEvent): "  12:00:01Z  Baseline — measuring …". */
const PHASE_LINE = /^\s+\d\d:\d\d:\d\dZ\s+([A-Za-z]+) — (.*)$/;

export class AwsBackend implements ConsoleBackend {
  readonly #runs = new Map<string, LiveRun>();
  readonly #renderReport = reportRenderer();
  readonly #closing = new AbortController();

  private constructor(
    private readonly session: AwsSession,
    private readonly where: string,
    private readonly cwd: string,
    private readonly warn: (line: string) => void,
    private readonly pollMs: number,
  ) {}

  static async open(options: AwsOptions, cwd: string, warn: (line: string) => void): Promise<AwsBackend> {
    return AwsBackend.withSession(await defaultSessionFactory(options), cwd, warn);
  }

  /** Finds the stack first, so that a missing stack or credentials stop the command with one line (exit 2 or 5). */
  static async withSession(
    session: AwsSession,
    cwd: string,
    warn: (line: string) => void,
    pollMs: number = POLL_MS,
  ): Promise<AwsBackend> {
    const outputs = await withAwsErrors(() => session.outputs());
    return new AwsBackend(session, `stack ${outputs.stackName} in ${outputs.region}`, cwd, warn, pollMs);
  }

  async state(): Promise<ConsoleState> {
    const active = [...this.#runs.values()].reverse().find((run) => !run.ended);
    return {
      side: 'aws',
      where: this.where,
      killSwitch: await withAwsErrors(() => this.session.killSwitch().get()),
      ...(active ? { active: active.summary() } : {}),
      can: { approve: true, ack: true },
    };
  }

  async catalog(): Promise<CatalogItem[]> {
    const now = this.session.clock.now();
    const sources = await readCatalogFiles(this.cwd, 'aws', this.warn);
    const history = await withAwsErrors(async () =>
      readHistory(await this.session.ledger(), await this.session.results(), now.getTime() - CATALOG_DAYS * 86_400_000),
    );
    const card = computeScorecard({
      ...history,
      experiments: sources.map((s) => s.experiment),
      now,
      days: CATALOG_DAYS,
    });
    return catalogItems(sources, history.runs, card, now);
  }

  async history(experiment: string): Promise<RunRow[]> {
    if (!EXPERIMENT_NAME.test(experiment)) throw new ConsoleRequestError(`"${experiment}" is not an experiment name`);
    return withAwsErrors(async () => {
      const runs = await (await this.session.ledger()).listRuns({ experiment, limit: HISTORY_LIMIT });
      const results = await this.session.results();
      return runRows(runs, (uri) => results.get(uri));
    });
  }

  async report(runId: string): Promise<string> {
    return this.#renderReport(await this.#result(runId));
  }

  async scorecard(days: number): Promise<string> {
    const now = this.session.clock.now();
    const experiments = (await readCatalogFiles(this.cwd, 'aws', this.warn)).map((s) => s.experiment);
    const history = await withAwsErrors(async () =>
      readHistory(await this.session.ledger(), await this.session.results(), now.getTime() - days * 86_400_000),
    );
    return renderScorecardHtml(computeScorecard({ ...history, experiments, now, days }));
  }

  /** Starts the execution and follows it as `run --wait` does, its printed lines becoming the live view. */
  async start({ experiment, dryRun }: StartRequest): Promise<LiveRun> {
    if (!EXPERIMENT_NAME.test(experiment)) throw new ConsoleRequestError(`"${experiment}" is not an experiment name`);
    const live = new LiveRun(newRunId(this.session.clock.now()), experiment, dryRun);
    this.#runs.set(live.runId, live);
    const lines = (text: string, error: boolean) => {
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        const phase = PHASE_LINE.exec(line);
        if (phase) live.emit({ kind: 'phase', state: phase[1]!, message: phase[2]!, text: line });
        else live.emit({ kind: error ? 'error' : 'info', text: line.replace(/^error: /, '') });
      }
    };
    const signal = this.#closing.signal;
    const sleep = (ms: number) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new Error('the console stopped following this run; it goes on in AWS'));
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('the console stopped following this run; it goes on in AWS'));
        });
      });
    live.done = runOnAwsWith(
      this.session,
      experiment,
      { wait: true, dryRun, trigger: 'manual', gate: false, runId: live.runId },
      { stdout: (text) => lines(text, false), stderr: (text) => lines(text, true) },
      { pollMs: this.pollMs, sleep },
    )
      .then(
        async () => {
          if (live.ended) return; // an error line already ended it
          const result = await this.#result(live.runId);
          live.emit({
            kind: 'verdict',
            runId: live.runId,
            verdict: result.verdict,
            reasons: result.reasons,
            text: `verdict ${result.verdict}`,
          });
        },
        (error: unknown) => live.emit({ kind: 'error', text: oneLine(error) }),
      )
      .catch((error: unknown) => live.emit({ kind: 'error', text: oneLine(error) }));
    return live;
  }

  live(runId: string): LiveRun | undefined {
    return this.#runs.get(runId);
  }

  async halt(reason: string): Promise<string> {
    const session = this.session;
    const report = await withAwsErrors(async () =>
      haltOnAws({ killSwitch: session.killSwitch(), ledger: await session.ledger(), faults: session.faults() }, reason),
    );
    return formatHalt(report, `SSM ${HALT_PARAMETER}`).trim().split('\n').join('; ');
  }

  async resume(): Promise<string> {
    const before = await withAwsErrors(() => resume(this.session.killSwitch()));
    return before.wasOn ? 'kill switch OFF; runs may inject again' : 'kill switch OFF; it was already off';
  }

  async approve(runId: string): Promise<string> {
    const outcome = await withAwsErrors(async () =>
      answerApproval(await this.#approvalDeps(), runId, { approve: true }),
    );
    return `approved run ${outcome.runId} (${outcome.experiment}) as ${outcome.by}`;
  }

  async reject(runId: string, reason: string): Promise<string> {
    const outcome = await withAwsErrors(async () =>
      answerApproval(await this.#approvalDeps(), runId, { approve: false, reason }),
    );
    return `rejected run ${outcome.runId} (${outcome.experiment}) as ${outcome.by}: ${outcome.reason ?? reason}`;
  }

  async ack(runId: string, kind: AckKindName, note: string | undefined): Promise<string> {
    if (!RUN_ID.test(runId)) throw new ConsoleRequestError(`"${runId}" is not a run id`);
    // As `shaketable ack`: the caller's identity, the run table, and a mitigated ack releases a GameDay's hold.
    const outcome = await ackOnAws(this.session, { runId, kind, ...(note ? { note } : {}) });
    return ackLine(runId, outcome);
  }

  /** Runs go on in AWS; the console only stops following them. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.all([...this.#runs.values()].map((run) => run.done));
  }

  async #approvalDeps() {
    return {
      ledger: await this.session.ledger(),
      tokens: this.session.tokens(),
      whoAmI: () => callerIdentity(this.session.client('sts')),
    };
  }

  async #result(runId: string): Promise<Result> {
    if (!RUN_ID.test(runId)) throw new ConsoleRequestError(`"${runId}" is not a run id`);
    return withAwsErrors(async () => {
      const run = await (await this.session.ledger()).getRun(runId);
      if (!run) throw new ConsoleRequestError(`run ${runId} is not in the run table`, 404);
      if (!run.resultUri) throw new ConsoleRequestError(`run ${runId} has no result yet (${run.status})`, 404);
      return (await this.session.results()).get(run.resultUri);
    });
  }
}
