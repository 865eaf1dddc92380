// The console against the sandbox (`shaketable console --local`): the experiments under experiments/ with
// `provider: local`, the ledger, results and kill switch under .shaketable/, and runs through runLocal — the very
// code `shaketable run --local`, `halt --local`, `resume --local` and `scorecard --local` use.
import { join } from 'node:path';
import { EXPERIMENT_NAME } from '../../core/experiment/schema.js';
import { reportRenderer } from '../../core/report/chart-library.js';
import type { Result } from '../../core/result/model.js';
import { computeScorecard } from '../../core/scorecard/compute.js';
import { renderScorecardHtml } from '../../core/scorecard/html.js';
import { FileKillSwitch } from '../../local/files/kill-switch.js';
import { FileRunLedger } from '../../local/files/ledger.js';
import { DEFAULT_BASE_DIR, safeName } from '../../local/files/paths.js';
import { FileResultStore } from '../../local/files/results.js';
import { ackLine, ackLocal } from '../commands/ack.js';
import { resume } from '../commands/resume.js';
import { formatProgress } from '../commands/run.js';
import { readCatalogFiles, readHistory } from '../commands/scorecard.js';
import type { AckKindName, CatalogItem, ConsoleState, RunRow } from './api.js';
import { type ConsoleBackend, ConsoleRequestError, LiveRun, type StartRequest } from './backend.js';
import { catalogItems } from './catalog.js';
import { oneLine, runRows } from './rows.js';

/** The history window of the catalog's pass rates, as the scorecard's default. */
const CATALOG_DAYS = 30;
const HISTORY_LIMIT = 50;

export class LocalBackend implements ConsoleBackend {
  readonly baseDir: string;
  readonly #ledger: FileRunLedger;
  readonly #results: FileResultStore;
  readonly #killSwitch: FileKillSwitch;
  readonly #runs = new Map<string, LiveRun>();
  readonly #renderReport = reportRenderer();
  #active: LiveRun | undefined;

  constructor(
    private readonly cwd: string,
    private readonly warn: (line: string) => void,
  ) {
    this.baseDir = join(cwd, DEFAULT_BASE_DIR);
    this.#ledger = new FileRunLedger(this.baseDir);
    this.#results = new FileResultStore(this.baseDir);
    this.#killSwitch = new FileKillSwitch(this.baseDir);
  }

  async state(): Promise<ConsoleState> {
    return {
      side: 'local',
      where: `sandbox in ${this.baseDir}`,
      killSwitch: await this.#killSwitch.get(),
      ...(this.#active ? { active: this.#active.summary() } : {}),
      can: { approve: false, ack: true },
    };
  }

  async catalog(): Promise<CatalogItem[]> {
    const now = new Date();
    const sources = await readCatalogFiles(this.cwd, 'local', this.warn);
    const history = await readHistory(this.#ledger, this.#results, now.getTime() - CATALOG_DAYS * 86_400_000);
    const experiments = sources.map((s) => s.experiment);
    const card = computeScorecard({ ...history, experiments, now, days: CATALOG_DAYS });
    return catalogItems(sources, history.runs, card, now);
  }

  async history(experiment: string): Promise<RunRow[]> {
    if (!EXPERIMENT_NAME.test(experiment)) throw new ConsoleRequestError(`"${experiment}" is not an experiment name`);
    const runs = await this.#ledger.listRuns({ experiment, limit: HISTORY_LIMIT });
    return runRows(runs, (uri) => this.#results.get(uri));
  }

  async report(runId: string): Promise<string> {
    return this.#renderReport(await this.#result(runId));
  }

  async scorecard(days: number): Promise<string> {
    const now = new Date();
    const history = await readHistory(this.#ledger, this.#results, now.getTime() - days * 86_400_000);
    const experiments = (await readCatalogFiles(this.cwd, 'local', this.warn)).map((s) => s.experiment);
    return renderScorecardHtml(computeScorecard({ ...history, experiments, now, days }));
  }

  /**
   * One sandbox run at a time per console: a sandbox's pid file is named after the process that owns it, so two
   * sandboxes in one process would share it (and the host has only so many cores to measure on).
   */
  async start({ experiment, dryRun }: StartRequest): Promise<LiveRun> {
    if (this.#active && !this.#active.ended) {
      throw new ConsoleRequestError(
        `run ${this.#active.runId} of ${this.#active.experiment} is still in progress; start another when it has ended`,
        409,
      );
    }
    const source = (await readCatalogFiles(this.cwd, 'local', this.warn)).find((s) => s.experiment.name === experiment);
    if (!source) {
      throw new ConsoleRequestError(`no local experiment named "${experiment}" under experiments/`, 404);
    }
    // Loaded on the first run: the catalog pages need none of the sandbox.
    const { runLocal } = await import('../../local/runner.js');
    const { newLocalRunId } = await import('../../local/sandbox.js');
    const live = new LiveRun(newLocalRunId(experiment), experiment, dryRun);
    this.#runs.set(live.runId, live);
    this.#active = live;
    live.done = runLocal(source.experiment, {
      baseDir: this.baseDir,
      runId: live.runId,
      dryRun,
      // Ctrl-C on the console records the run as stopped by an operator, as it does for `shaketable run --local`.
      guardSignals: true,
      onProgress: (line) => {
        const text = formatProgress(line, false);
        if (line.kind === 'phase') live.emit({ kind: 'phase', state: line.state, message: line.message, text });
        else if (line.kind === 'probes') live.emit({ kind: 'probes', values: line.values, text });
        else live.emit({ kind: 'info', text });
      },
    }).then(
      ({ result }) =>
        live.emit({
          kind: 'verdict',
          runId: result.runId,
          verdict: result.verdict,
          reasons: result.reasons,
          text: `verdict ${result.verdict}`,
        }),
      (error: unknown) => live.emit({ kind: 'error', text: oneLine(error) }),
    );
    return live;
  }

  live(runId: string): LiveRun | undefined {
    return this.#runs.get(runId);
  }

  async halt(reason: string): Promise<string> {
    // As `shaketable halt --local`: the switch on; a running sandbox sees it within a quarter second and stops its fault.
    await this.#killSwitch.set(true, reason);
    return `kill switch ON (${this.#killSwitch.file}): ${reason}; sandbox runs refuse to inject until resumed`;
  }

  async resume(): Promise<string> {
    const before = await resume(this.#killSwitch);
    return before.wasOn ? 'kill switch OFF; runs may inject again' : 'kill switch OFF; it was already off';
  }

  async approve(): Promise<string> {
    throw new ConsoleRequestError('the sandbox has no approval step: approve and reject apply to runs on AWS');
  }

  async reject(): Promise<string> {
    throw new ConsoleRequestError('the sandbox has no approval step: approve and reject apply to runs on AWS');
  }

  async ack(runId: string, kind: AckKindName, note: string | undefined): Promise<string> {
    try {
      safeName('run id', runId);
    } catch (error) {
      throw new ConsoleRequestError((error as Error).message);
    }
    // As `shaketable ack --local`: the run, watching its ledger entry, sees the ack (a mitigated one releases a hold).
    const outcome = await ackLocal(this.baseDir, { runId, kind, ...(note ? { note } : {}) });
    return ackLine(runId, outcome);
  }

  async close(): Promise<void> {
    // A run in progress stops through the runner's own SIGINT/SIGTERM guard; wait for it to have recorded that.
    await this.#active?.done;
  }

  async #result(runId: string): Promise<Result> {
    try {
      safeName('run id', runId);
    } catch (error) {
      throw new ConsoleRequestError((error as Error).message);
    }
    const run = await this.#ledger.getRun(runId);
    if (!run) throw new ConsoleRequestError(`run ${runId} is not in the sandbox ledger ${this.baseDir}`, 404);
    if (!run.resultUri) throw new ConsoleRequestError(`run ${runId} has no result yet (${run.status})`, 404);
    return this.#results.get(run.resultUri);
  }
}
