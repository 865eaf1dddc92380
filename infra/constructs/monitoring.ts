// Watching the orchestrator itself (DESIGN §7): a dashboard and alarms for what means shaketable is broken —
// executions that TIMED_OUT or were ABORTED, Lambda errors, undelivered events/schedules, ERROR verdicts. A FAILED
// execution is not among them: a gated pipeline run fails on purpose when the hypothesis does not hold.
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { VERDICTS } from '../../core/experiment/schema.js';
import type { ExperimentWorkflow, HandlerName } from './experiment-workflow.js';

/** The EMF metric Publish emits per run: namespace `Shaketable`, metric `Runs`, dimension `Verdict`. */
export const VERDICT_METRIC = { namespace: 'Shaketable', metricName: 'Runs', dimension: 'Verdict' } as const;

export interface MonitoringProps {
  workflow: ExperimentWorkflow;
  deadLetterQueue: sqs.IQueue;
  alarmTopic: sns.ITopic;
}

export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { workflow } = props;
    const sm = workflow.stateMachine;
    const period = Duration.minutes(5);
    const stackName = Stack.of(this).stackName;
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric) => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${stackName}-${alarmId}`,
        alarmDescription: `shaketable: ${description}`,
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      this.alarms.push(a);
      return a;
    };

    alarm('ExecutionsTimedOut', 'a run hit the state machine timeout', sm.metricTimedOut({ period, statistic: 'Sum' }));
    alarm(
      'ExecutionsAborted',
      'a run was aborted (the Janitor cleans up)',
      sm.metricAborted({ period, statistic: 'Sum' }),
    );
    for (const [name, fn] of Object.entries(workflow.functions) as Array<
      [HandlerName, typeof workflow.functions.Load]
    >) {
      alarm(`${name}Errors`, `the ${name} function failed`, fn.metricErrors({ period, statistic: 'Sum' }));
    }
    const dlqDepth = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' });
    alarm('UndeliveredEvents', 'an event or schedule could not reach shaketable (see the dead-letter queue)', dlqDepth);
    const verdict = (v: string) =>
      new cloudwatch.Metric({
        namespace: VERDICT_METRIC.namespace,
        metricName: VERDICT_METRIC.metricName,
        dimensionsMap: { [VERDICT_METRIC.dimension]: v },
        statistic: 'Sum',
        period,
      });
    alarm('ErrorVerdicts', 'a run ended with an ERROR verdict (orchestrator or FIS failure)', verdict('ERROR'));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stackName}-orchestrator`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Runs by verdict',
        left: VERDICTS.map((v) => verdict(v).with({ label: v })),
        stacked: true,
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Executions',
        left: [
          sm.metricStarted({ period }),
          sm.metricSucceeded({ period }),
          sm.metricFailed({ period, label: 'Failed (gated runs fail on purpose)' }),
          sm.metricAborted({ period }),
          sm.metricTimedOut({ period }),
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Lambda errors',
        left: Object.entries(workflow.functions).map(([name, fn]) => fn.metricErrors({ period, label: name })),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda duration p99',
        left: Object.entries(workflow.functions).map(([name, fn]) =>
          fn.metricDuration({ period, statistic: 'p99', label: name }),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Orchestrator alarms', alarms: this.alarms, width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Dead-letter queue depth', left: [dlqDepth], width: 12 }),
    );
  }
}
