// The change-freeze adapters' exact SDK commands, and core/guardrails/freezes.ts reading them into checks.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetCalendarStateCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { freezeChecks } from '../../../core/guardrails/freezes.js';
import { CloudFormationDeployments, SsmChangeCalendar } from '../../../functions/aws/freezes.js';

const ssm = new SSMClient({ region: 'eu-central-1' });
const cfn = new CloudFormationClient({ region: 'eu-central-1' });
const ssmMock = mockClient(ssm);
const cfnMock = mockClient(cfn);
beforeEach(() => {
  ssmMock.reset();
  cfnMock.reset();
});

const deps = () => ({ changeCalendar: new SsmChangeCalendar(ssm), deployments: new CloudFormationDeployments(cfn) });
const guardrails = { changeCalendar: 'production-freeze', deployments: { stacks: ['checkout-prod', 'payments-prod'] } };

describe('SsmChangeCalendar', () => {
  it('asks GetCalendarState for the one calendar', async () => {
    ssmMock.on(GetCalendarStateCommand, { CalendarNames: ['production-freeze'] }).resolves({ State: 'OPEN' });
    await expect(new SsmChangeCalendar(ssm).state('production-freeze')).resolves.toBe('OPEN');
    expect(ssmMock.commandCalls(GetCalendarStateCommand)).toHaveLength(1);
  });

  it('refuses a state it does not know', async () => {
    ssmMock.on(GetCalendarStateCommand).resolves({});
    await expect(new SsmChangeCalendar(ssm).state('production-freeze')).rejects.toThrow(/returned state undefined/);
  });
});

describe('CloudFormationDeployments', () => {
  it('describes each stack by name', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: 'checkout-prod' }).resolves({
      Stacks: [{ StackName: 'checkout-prod', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }],
    });
    await expect(new CloudFormationDeployments(cfn).statuses(['checkout-prod'])).resolves.toEqual([
      { stack: 'checkout-prod', status: 'UPDATE_COMPLETE' },
    ]);
  });
});

describe('freezeChecks', () => {
  const stack = (name: string, status: string) =>
    cfnMock
      .on(DescribeStacksCommand, { StackName: name })
      .resolves({ Stacks: [{ StackName: name, StackStatus: status as never, CreationTime: new Date() }] });

  it('passes with the calendar OPEN and no stack deploying', async () => {
    ssmMock.on(GetCalendarStateCommand).resolves({ State: 'OPEN' });
    stack('checkout-prod', 'UPDATE_COMPLETE');
    stack('payments-prod', 'CREATE_COMPLETE');
    const checks = await freezeChecks(deps(), guardrails);
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['changeCalendar', true],
      ['deployments', true],
    ]);
  });

  it('refuses a CLOSED calendar and a stack UPDATE_IN_PROGRESS, naming them', async () => {
    ssmMock.on(GetCalendarStateCommand).resolves({ State: 'CLOSED' });
    stack('checkout-prod', 'UPDATE_IN_PROGRESS');
    stack('payments-prod', 'UPDATE_COMPLETE');
    const checks = await freezeChecks(deps(), guardrails);
    expect(checks.map((c) => c.message)).toEqual([
      'changeCalendar: production-freeze is CLOSED, expected OPEN; run when the calendar opens',
      'deployments: checkout-prod is UPDATE_IN_PROGRESS; run when the deployment has ended',
    ]);
  });

  it('refuses an unreadable calendar or stack with the error, never as open', async () => {
    ssmMock
      .on(GetCalendarStateCommand)
      .rejects(Object.assign(new Error('calendar not found'), { name: 'InvalidDocument' }));
    cfnMock.on(DescribeStacksCommand).rejects(new Error('Stack with id checkout-prod does not exist'));
    const checks = await freezeChecks(deps(), guardrails);
    expect(checks.map((c) => c.ok)).toEqual([false, false]);
    expect(checks[0]!.message).toContain('is unreadable (calendar not found)');
    expect(checks[1]!.message).toContain('does not exist');
  });

  it('reads nothing when the guardrails name no freeze', async () => {
    await expect(freezeChecks(deps(), {})).resolves.toEqual([]);
    expect(ssmMock.calls()).toHaveLength(0);
  });
});
