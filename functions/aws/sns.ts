// SNS notifier: one message per notified verdict, with a subject a human scans, a JSON body a machine reads, and
// message attributes `verdict` and `experiment` for subscription filter policies (DESIGN §5).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, RunSummary } from '../../core/ports.js';

// SNS subjects: at most 100 printable ASCII characters, no line breaks
// (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
export const MAX_SUBJECT = 100;

/** `[shaketable] FAILED checkout-instance-loss`, cut to 100 characters with an ellipsis when needed. */
export function notificationSubject(verdict: string, experiment: string): string {
  const subject = `[shaketable] ${verdict} ${experiment}`.replace(/[^\x20-\x7e]/g, '?');
  return subject.length <= MAX_SUBJECT ? subject : `${subject.slice(0, MAX_SUBJECT - 3)}...`;
}

/** The JSON body: the summary plus where the evidence is; a ramp adds its progress and one line per step reached. */
export function notificationBody(summary: RunSummary): string {
  return JSON.stringify(
    {
      source: 'shaketable',
      runId: summary.runId,
      experiment: summary.experiment,
      verdict: summary.verdict,
      reasons: summary.reasons,
      result: summary.resultUri,
      report: summary.reportUri,
      ...(summary.runbook ? { runbook: summary.runbook } : {}),
      ...(summary.response ? { response: summary.response } : {}),
      ...(summary.ramp ? { ramp: summary.ramp } : {}),
    },
    null,
    2,
  );
}

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(summary: RunSummary): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: notificationSubject(summary.verdict, summary.experiment),
        Message: notificationBody(summary),
        MessageAttributes: {
          verdict: { DataType: 'String', StringValue: summary.verdict },
          experiment: { DataType: 'String', StringValue: summary.experiment },
        },
      }),
    );
  }
}
