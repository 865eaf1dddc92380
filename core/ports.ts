// Ports: the small interfaces through which core talks to the world. Implemented twice
// (functions/aws/* with the AWS SDK, local/* for the sandbox) and faked by plain objects in tests.
import type { Experiment, MetricSpec, MissingPolicy, Target } from './experiment/schema.js';

export interface Clock {
  now(): Date;
}

/** The clock of the machine: every adapter's default, and the one the Lambda functions, CLI and sandbox wire. */
export const systemClock: Clock = { now: () => new Date() };

/** A window of time [start, end), epoch milliseconds. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** One series to read: a metric, or a metric-math expression over other query ids. */
export interface MetricQuery {
  id: string;
  metric?: MetricSpec;
  expression?: string;
  /** how a missing datapoint is read (`zero` → FILL(m, 0) in CloudWatch) */
  missing: MissingPolicy;
}

/** Datapoints as [epochMs of the period start, value], ascending. */
export type Series = Array<[number, number]>;

export interface MetricSource {
  /** Many series over one window in as few calls as possible (CloudWatch: ≤ 500 queries per GetMetricData). */
  getSeries(queries: MetricQuery[], window: TimeWindow, periodSeconds: number): Promise<Record<string, Series>>;
}

/**
 * How starved the machine doing the measuring was over a window, as the worst of its periods: the local sandbox
 * measures on the same host as the demo system, so a busy host shows up in every measurement. AWS has no such port
 * (CloudWatch measures elsewhere); every field is absent where the adapter cannot measure it.
 */
export interface HostHealth {
  measure(window: TimeWindow, periodSeconds: number): Promise<HostMeasurement>;
}

export interface HostMeasurement {
  /** periods of the window with host data */
  periods: number;
  /** the worst period's event-loop delay p99 of any process measuring or serving (runner, load generator, balancer, demo instances), ms */
  eventLoopDelayMs?: number;
  /** the worst period's share of load-generator requests sent later than LATE_SEND_MS after their due time, 0..1 */
  lateSends?: number;
  /** the worst period's share of time some task on the machine waited for a CPU (Linux PSI `some`), 0..1 */
  cpuPressure?: number;
  /** the 1-minute load average per core, where PSI is not readable (a trailing average: context, not a trigger) */
  loadPerCore?: number;
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmState {
  name: string;
  state: AlarmStateValue | 'MISSING';
  reason?: string;
}

export interface AlarmSource {
  getStates(names: string[]): Promise<AlarmState[]>;
  /** Transitions to ALARM within the window, per alarm (used to tell a stop-condition stop from an operator stop). */
  alarmTransitions(names: string[], window: TimeWindow): Promise<Array<{ name: string; at: number }>>;
}

/** A target of the fault, resolved to the pool of resources it could hit. */
export interface TargetPool {
  target: string;
  resourceType: string;
  /** identifiers (ARNs or ids) of every eligible resource, before the selection mode */
  eligible: string[];
  selectionMode: string;
  /** why the pool could not be counted from AWS APIs (then `eligible` is empty): see core/targets/pools.ts */
  uncounted?: string;
}

/** Resolves one named target of a template to its pool of eligible resources (the resources' own APIs). */
export interface TargetPools {
  resolve(name: string, target: Target): Promise<TargetPool>;
}

/** FIS-like state of a running or ended fault. Status is an open string (FIS adds new ones). */
export interface FaultState {
  experimentId: string;
  status: string;
  reason?: string;
  startTime?: number;
  endTime?: number;
  targets?: string[];
  /** tags of the experiment (FIS: includes `shaketable:run`) */
  tags?: Record<string, string>;
  /**
   * whether any fault action got past pending (FIS reports the resolved targets only for ARN-selected targets, so
   * "did anything get injected" is read from the actions' states); absent when the injector cannot tell
   */
  actionsStarted?: boolean;
}

/** What FIS tells about a template shaketable does not own (`templateId`). */
export interface ExternalTemplate {
  id: string;
  tags: Record<string, string>;
  template: NonNullable<Experiment['fault']['template']>;
}

/** Reads a deployed FIS template back, validated against the experiment schema (Load, `shaketable preflight`). */
export interface TemplateReader {
  describe(templateId: string): Promise<ExternalTemplate>;
}

export interface StartFaultRequest {
  runId: string;
  experiment: Experiment;
  /** the deployed FIS template id (AWS); absent locally */
  templateId?: string;
  /** a ramp's step (1-based): each step starts its own fault, so it is part of the idempotency token and the tags */
  step?: number;
}

/** One resource a fault actually hit, as the fault service resolved it (FIS ListExperimentResolvedTargets). */
export interface ResolvedTarget {
  target: string;
  resourceType: string;
  /** the resource's ARN, or its identifying fields (`namespace=shop, podName=web-1` for EKS pods) */
  resource: string;
}

export interface FaultInjector {
  start(request: StartFaultRequest): Promise<FaultState>;
  get(experimentId: string): Promise<FaultState>;
  stop(experimentId: string): Promise<FaultState>;
  /**
   * the fault a run started, found by its `shaketable:run` tag (when the ledger's pointer was never written); for a
   * ramp, the fault of that step (`shaketable:step` tag)
   */
  findByRun(runId: string, step?: number): Promise<FaultState | undefined>;
  /** what the fault hit, as the service resolved it (FIS); absent where the injector's own state says (local) */
  resolvedTargets?(experimentId: string): Promise<ResolvedTarget[]>;
}

export interface KillSwitch {
  get(): Promise<{ on: boolean; reason?: string }>;
  set(on: boolean, reason?: string): Promise<void>;
}

export type StopCause = 'halt' | 'maxDuration' | 'orchestrator-error';

/** An organisation's change calendar (SSM Change Calendar): OPEN when changes may be made. Throws when unreadable. */
export interface ChangeCalendar {
  state(name: string): Promise<'OPEN' | 'CLOSED'>;
}

/** Deployment status of stacks (CloudFormation), e.g. UPDATE_IN_PROGRESS. Throws when a stack is unreadable. */
export interface DeploymentStatus {
  statuses(stacks: readonly string[]): Promise<Array<{ stack: string; status: string }>>;
}

/** One run as the ledger (DynamoDB run table / .shaketable files) records it. */
export interface RunRecord {
  runId: string;
  experiment: string;
  status: 'RUNNING' | 'DONE';
  startedAt: string;
  trigger?: string;
  lockKey?: string;
  fisExperimentId?: string;
  taskToken?: string;
  /** a ramp: the step (1-based) whose fault the task token waits for */
  rampStep?: number;
  /** a ramp: the step (1-based) fisExperimentId belongs to; the pointer is the current fault only when it is rampStep */
  faultStep?: number;
  approvalToken?: string;
  /** the plan's phase timing, so whoever completes the InjectFault token can time the workflow's Wait */
  timing?: { observeSeconds: number; recoverySeconds: number; ingestionDelaySeconds: number; periodSeconds: number };
  /** epoch seconds after which the run cannot still be legitimately running (the Janitor's sweep uses it) */
  expiresAt?: number;
  stopCause?: StopCause;
  verdict?: string;
  endedAt?: string;
  resultUri?: string;
  reportUri?: string;
  /** responders' acknowledgements (`shaketable ack`), in the order they were recorded */
  acks?: import('./result/model.js').Ack[];
  /** when Evaluate closed the run to acknowledgements (an ack after this is refused) */
  evaluatedAt?: string;
  /** the task token of a GameDay run held for a `mitigated` acknowledgement (HoldForMitigation) */
  holdToken?: string;
}

/** Why the ledger refused an acknowledgement: no such run, or its verdict is already decided. */
export type AckRefusal = 'unknown' | 'evaluated';

/**
 * Responders' acknowledgements of a run (DESIGN §9 GameDays), kept on the run's own entry in the ledger (the run
 * table's item, the sandbox's ledger file). Appending and closing are each atomic, so an ack either lands before
 * Evaluate reads the acks or is refused: none is recorded and then left out of the result.
 */
export interface AckLedger {
  /** Appends `ack` to a run not yet evaluated; returns the run as it is after, or why it refused. */
  appendAck(
    runId: string,
    ack: import('./result/model.js').Ack,
  ): Promise<{ accepted: true; run: RunRecord } | { accepted: false; refusal: AckRefusal; run?: RunRecord }>;
  /** The run's acks as recorded, leaving it open to more (a ramp's steps before its last). */
  readAcks(runId: string): Promise<import('./result/model.js').Ack[]>;
  /**
   * Closes the run to acks at `at` (a second close keeps the first time) and returns its acks as recorded; a run the
   * ledger has no record of (it never started a fault) has none.
   */
  closeAcks(runId: string, at: string): Promise<import('./result/model.js').Ack[]>;
}

export interface LockResult {
  acquired: boolean;
  /** the run holding the lock when not acquired */
  holder?: string;
  /** epoch SECONDS (as DynamoDB TTL) */
  expiresAt?: number;
}

export interface RunLedger {
  /** `expiresAt` in epoch seconds; an expired lock is taken over */
  acquireLock(key: string, runId: string, expiresAt: number): Promise<LockResult>;
  releaseLock(key: string, runId: string): Promise<void>;
  putRun(run: RunRecord): Promise<void>;
  updateRun(runId: string, fields: Partial<RunRecord>): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  findRunByFaultId(fisExperimentId: string): Promise<RunRecord | undefined>;
  listRuns(filter: { experiment?: string; status?: RunRecord['status']; limit?: number }): Promise<RunRecord[]>;
}

export interface StoredResult {
  resultUri: string;
  reportUri: string;
}

export interface ResultStore {
  put(result: import('./result/model.js').Result, reportHtml: string): Promise<StoredResult>;
  get(uri: string): Promise<import('./result/model.js').Result>;
}

export interface RunSummary {
  runId: string;
  experiment: string;
  verdict: string;
  reasons: string[];
  resultUri: string;
  reportUri: string;
  runbook?: string;
  /** time to detect, mitigate and recover (DESIGN §9), for a run that injected */
  response?: import('./result/model.js').Response;
  /** a ramp: how far it got and one line per step reached (core/result/ramp.ts `rampSummary`) */
  ramp?: import('./result/ramp.js').RampSummary;
}

export interface Notifier {
  publish(summary: RunSummary): Promise<void>;
}

/** A catalog entry: the validated experiment plus the ids known only after deploy. */
export interface CatalogEntry {
  experiment: Experiment;
  templateId?: string;
  /** a ramp's FIS templates, one per step in order (the CDK deploys them; `templateId` is the first step's) */
  stepTemplateIds?: string[];
  /** stop-condition alarms compiled from abortWhen (names) */
  compiledAlarms?: string[];
  /** the public holidays of `guardrails.holidays`, computed when the catalog was built (AWS) */
  holidays?: import('./guardrails/holiday-calendar.js').HolidayTable[];
}

export interface Catalog {
  get(name: string): Promise<CatalogEntry>;
  list(): Promise<string[]>;
}

/** Completes a Step Functions task token. Completing a token twice is harmless: returns false instead of throwing. */
export interface TaskTokens {
  succeed(token: string, output: unknown): Promise<boolean>;
  fail(token: string, error: string, cause: string): Promise<boolean>;
}

export interface ApprovalRequest {
  runId: string;
  experiment: string;
  expiresAt: string;
  runbook?: string;
}

/** Asks a human to approve a run (SNS in AWS). */
export interface ApprovalNotifier {
  requestApproval(request: ApprovalRequest): Promise<void>;
}
