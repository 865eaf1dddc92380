// Change-freeze adapters (DESIGN §9 "Freezes"): the SSM Change Calendar's state and CloudFormation stacks' statuses.
// Both throw when AWS cannot answer; core/guardrails/freezes.ts turns that into a refusal naming the error.
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetCalendarStateCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { ChangeCalendar, DeploymentStatus } from '../../core/ports.js';

export class SsmChangeCalendar implements ChangeCalendar {
  constructor(private readonly ssm: SSMClient) {}

  async state(name: string): Promise<'OPEN' | 'CLOSED'> {
    const out = await this.ssm.send(new GetCalendarStateCommand({ CalendarNames: [name] }));
    if (out.State !== 'OPEN' && out.State !== 'CLOSED') {
      throw new Error(`GetCalendarState returned state ${String(out.State)} for ${name}`);
    }
    return out.State;
  }
}

export class CloudFormationDeployments implements DeploymentStatus {
  constructor(private readonly cloudformation: CloudFormationClient) {}

  async statuses(stacks: readonly string[]): Promise<Array<{ stack: string; status: string }>> {
    return Promise.all(
      stacks.map(async (stack) => {
        const out = await this.cloudformation.send(new DescribeStacksCommand({ StackName: stack }));
        const status = out.Stacks?.[0]?.StackStatus;
        if (status === undefined) throw new Error(`DescribeStacks returned no status for ${stack}`);
        return { stack, status: String(status) };
      }),
    );
  }
}
