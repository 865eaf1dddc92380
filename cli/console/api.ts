// What the console's server sends its page: JSON shapes shared by cli/console/server.ts and the browser app
// (cli/console/app/main.ts). Types only, so the app bundle takes nothing from the server side.

/** The header (or, for GET requests a browser cannot add headers to, the `token` query parameter) carrying the token. */
export const TOKEN_HEADER = 'x-shaketable-token';

export interface ConsoleState {
  /** `local`: the sandbox in this folder; `aws`: the deployed stack */
  side: 'local' | 'aws';
  /** where runs go, for a person: "sandbox in /home/me/shop/.shaketable" or "stack Shaketable in eu-west-1" */
  where: string;
  killSwitch: { on: boolean; reason?: string };
  /** the run this console is following now, if any */
  active?: LiveSummary;
  /** what this side can do: approval answers (AWS only: the sandbox refuses approval), GameDay acks */
  can: { approve: boolean; ack: boolean };
}

export interface CatalogItem {
  name: string;
  /** the experiment file, relative to the folder the console was started in */
  file: string;
  description: string;
  owner: string;
  hypothesis: string;
  /** e.g. "kill: local:instance:terminate on web (COUNT(1)); observe PT5S, max PT30S" */
  fault: string;
  schedule?: { expression: string; timezone?: string; enabled: boolean; next?: string };
  /** one short phrase per guardrail: "alarms error_burst", "≤ 1 target", "window MON-FRI 09:00-17:00 Europe/Berlin" */
  guardrails: string[];
  lastRun?: { runId: string; status: 'RUNNING' | 'DONE'; verdict?: string; startedAt: string };
  /** PASSED over runs that injected a fault, as the scorecard counts it; null when none injected */
  passRate: number | null;
  /** the verdicts of the most recent runs, oldest first ("RUNNING" while one runs) */
  recent: string[];
}

export interface RunRow {
  runId: string;
  status: 'RUNNING' | 'DONE';
  startedAt: string;
  trigger?: string;
  verdict?: string;
  durationSeconds?: number;
  /** time to detect / recover in seconds, where the result knows them (DESIGN §9) */
  ttdSeconds?: number;
  ttrSeconds?: number;
  hasReport: boolean;
  /** why the run's result could not be read, when it could not */
  resultError?: string;
}

export interface LiveSummary {
  runId: string;
  experiment: string;
  dryRun: boolean;
  startedAt: string;
  ended: boolean;
}

/** One event of a live run, as the page receives it (Server-Sent Events, `data:` JSON). */
export type LiveEvent =
  /** the workflow entered a state; `text` is the line `shaketable run` prints for it */
  | { kind: 'phase'; state: string; message: string; text: string }
  /** current probe values during the fault and recovery */
  | { kind: 'probes'; values: Record<string, number | null>; text: string }
  | { kind: 'info'; text: string }
  /** the run ended with a verdict (its report is at /api/runs/<runId>/report) */
  | { kind: 'verdict'; runId: string; verdict: string; reasons: string[]; text: string }
  /** the run ended without a verdict: one readable line */
  | { kind: 'error'; text: string };

/** What a responder acknowledges during a run (DESIGN §9 GameDays), as `shaketable ack` takes it. */
export const ACK_KIND_NAMES = ['detected', 'mitigated'] as const;
export type AckKindName = (typeof ACK_KIND_NAMES)[number];

export interface ApiError {
  error: string;
}
