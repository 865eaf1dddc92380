// What every workflow step may use: the ports, a clock and the provider's settings. Built once per container.

import type { HolidayCalendar } from '../guardrails/holiday-calendar.js';
import type {
  AckLedger,
  AlarmSource,
  ApprovalNotifier,
  Catalog,
  ChangeCalendar,
  Clock,
  DeploymentStatus,
  FaultInjector,
  HostHealth,
  KillSwitch,
  MetricSource,
  Notifier,
  ResultStore,
  RunLedger,
  TargetPools,
  TaskTokens,
  TemplateReader,
} from '../ports.js';
import type { Result } from '../result/model.js';
import type { Settings } from './settings.js';

export interface StepDeps {
  clock: Clock;
  catalog: Catalog;
  faults: FaultInjector;
  /** the deployed FIS templates (AWS); absent in the sandbox, whose experiments carry their own `fault.template` */
  templates?: TemplateReader;
  /** target pools for the blast radius (AWS: ResolveTargets) */
  targets: TargetPools;
  metrics: MetricSource;
  alarms: AlarmSource;
  killSwitch: KillSwitch;
  ledger: RunLedger;
  /** responders' acknowledgements, on the run's ledger entry (the same table / files as `ledger`) */
  acks: AckLedger;
  results: ResultStore;
  notifier: Notifier;
  approvals: ApprovalNotifier;
  tokens: TaskTokens;
  settings: Settings;
  renderReport: (result: Result) => string;
  /** public holidays when the plan carries no table (the sandbox, tests); the AWS catalog bundles tables */
  holidays?: HolidayCalendar;
  /** how starved the machine measuring the run was (the sandbox, which measures on its own host); absent on AWS */
  host?: HostHealth;
  /** the SSM Change Calendar of `guardrails.changeCalendar` (AWS only) */
  changeCalendar?: ChangeCalendar;
  /** the CloudFormation stacks of `guardrails.deployments` (AWS only) */
  deployments?: DeploymentStatus;
}
