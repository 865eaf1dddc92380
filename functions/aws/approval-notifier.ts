// Asks for a human decision on a run waiting at the Approval state, on the same SNS topic as verdicts
// (message attribute `kind=approval` so subscribers can filter).
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ApprovalNotifier, ApprovalRequest } from '../../core/ports.js';

export class SnsApprovalNotifier implements ApprovalNotifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async requestApproval(request: ApprovalRequest): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: `[shaketable] APPROVAL ${request.experiment}`.slice(0, 100),
        Message: JSON.stringify({
          ...request,
          approve: `npx shaketable approve ${request.runId}`,
          reject: `npx shaketable reject ${request.runId} --reason "…"`,
        }),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'approval' },
          experiment: { DataType: 'String', StringValue: request.experiment },
        },
      }),
    );
  }
}
