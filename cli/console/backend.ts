// What the console server asks of the side it runs against (the sandbox with --local, the deployed stack
// otherwise): reads and actions through the same ports and step code as the CLI commands.
import type { AckKindName, CatalogItem, ConsoleState, LiveEvent, LiveSummary, RunRow } from './api.js';

export interface StartRequest {
  experiment: string;
  dryRun: boolean;
}

export interface ConsoleBackend {
  state(): Promise<ConsoleState>;
  catalog(): Promise<CatalogItem[]>;
  history(experiment: string): Promise<RunRow[]>;
  /** the run's report.html, rendered by core/report from its result */
  report(runId: string): Promise<string>;
  /** the scorecard page (core/scorecard) over the last `days` days */
  scorecard(days: number): Promise<string>;
  start(request: StartRequest): Promise<LiveRun>;
  /** a run this console started, while it is remembered */
  live(runId: string): LiveRun | undefined;
  halt(reason: string): Promise<string>;
  resume(): Promise<string>;
  approve(runId: string): Promise<string>;
  reject(runId: string, reason: string): Promise<string>;
  /** a responder's acknowledgement of a run, recorded as `shaketable ack` records it; the line it prints */
  ack(runId: string, kind: AckKindName, note: string | undefined): Promise<string>;
  /** stops what this backend started (a running sandbox run is recorded as stopped by an operator) */
  close(): Promise<void>;
}

/**
 * A run started from the console: every event so far (a page that opens late sees the whole story) and the
 * listeners of the pages following it.
 */
export class LiveRun {
  readonly events: LiveEvent[] = [];
  readonly #listeners = new Set<(event: LiveEvent) => void>();
  ended = false;
  /** settles when the run has ended, whichever way (never rejects) */
  done: Promise<void> = Promise.resolve();

  constructor(
    readonly runId: string,
    readonly experiment: string,
    readonly dryRun: boolean,
    readonly startedAt: string = new Date().toISOString(),
  ) {}

  emit(event: LiveEvent): void {
    if (this.ended) return;
    this.events.push(event);
    if (event.kind === 'verdict' || event.kind === 'error') this.ended = true;
    for (const listener of this.#listeners) listener(event);
  }

  /** Replays the events so far, then follows; returns the unsubscribe function. */
  follow(listener: (event: LiveEvent) => void): () => void {
    for (const event of this.events) listener(event);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  summary(): LiveSummary {
    return {
      runId: this.runId,
      experiment: this.experiment,
      dryRun: this.dryRun,
      startedAt: this.startedAt,
      ended: this.ended,
    };
  }
}

/** A refusal the page shows as one line: the request was understood and cannot be done (HTTP 4xx). */
export class ConsoleRequestError extends Error {
  override readonly name = 'Shaketable.ConsoleRequest';
  constructor(
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
  }
}
