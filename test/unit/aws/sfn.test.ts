import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { TaskTokens } from '../../../functions/aws/sfn.js';

const sfnError = (name: string) => Object.assign(new Error(name), { name });

describe('TaskTokens', () => {
  const sfn = new SFNClient({ region: 'eu-central-1' });
  const mock = mockClient(sfn);
  beforeEach(() => mock.reset());

  it('completes a task with its JSON output', async () => {
    mock.on(SendTaskSuccessCommand).resolves({});
    await expect(new TaskTokens(sfn).succeed('tok', { status: 'completed', reason: 'done' })).resolves.toBe(true);
    expect(mock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'tok',
      output: '{"status":"completed","reason":"done"}',
    });
  });

  it.each(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'])('treats %s as an already spent token', async (name) => {
    mock.on(SendTaskSuccessCommand).rejects(sfnError(name));
    mock.on(SendTaskFailureCommand).rejects(sfnError(name));
    await expect(new TaskTokens(sfn).succeed('tok', {})).resolves.toBe(false);
    await expect(new TaskTokens(sfn).fail('tok', 'Shaketable.X', 'why')).resolves.toBe(false);
  });

  it('lets any other error through', async () => {
    mock.on(SendTaskSuccessCommand).rejects(sfnError('ThrottlingException'));
    await expect(new TaskTokens(sfn).succeed('tok', {})).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('fails a task with its error name and cause, within the API limits', async () => {
    mock.on(SendTaskFailureCommand).resolves({});
    await new TaskTokens(sfn).fail('tok', 'Shaketable.ApprovalRejected', 'x'.repeat(40_000));
    const input = mock.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(input?.error).toBe('Shaketable.ApprovalRejected');
    expect(input?.cause).toHaveLength(32_768);
  });

  it('stops and describes executions', async () => {
    mock.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    mock.on(DescribeExecutionCommand).resolves({ status: 'ABORTED', name: 'run-1' } as never);
    const tokens = new TaskTokens(sfn);
    await tokens.stopExecution('arn:exec', 'Shaketable.Halt', 'halted');
    expect(mock.commandCalls(StopExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: 'arn:exec',
      error: 'Shaketable.Halt',
      cause: 'halted',
    });
    await expect(tokens.describeExecution('arn:exec')).resolves.toMatchObject({ status: 'ABORTED' });
  });
});
