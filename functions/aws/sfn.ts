// Step Functions helpers for the task-token callback of InjectFault (FaultEnded, Janitor) and for stopping or
// describing an execution. Completing a token twice is harmless by design (DESIGN §1), so the errors that mean
// "this token is already spent" return false instead of throwing; every other error propagates.
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';

/** Errors meaning the token was already completed, timed out, or its execution has ended. */
export const SPENT_TOKEN_ERRORS: readonly string[] = ['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'];

function isSpentToken(error: unknown): boolean {
  return error instanceof Error && SPENT_TOKEN_ERRORS.includes(error.name);
}

// SendTaskFailure limits: error ≤ 256 characters, cause ≤ 32,768 characters
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html).
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

export class TaskTokens {
  constructor(private readonly sfn: SFNClient) {}

  /** Completes a waiting task with `output` (JSON-serialised). Returns false when the token was already spent. */
  async succeed(taskToken: string, output: unknown): Promise<boolean> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return true;
    } catch (error) {
      if (isSpentToken(error)) return false;
      throw error;
    }
  }

  /** Fails a waiting task with a stable error name. Returns false when the token was already spent. */
  async fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    try {
      await this.sfn.send(
        new SendTaskFailureCommand({ taskToken, error: error.slice(0, MAX_ERROR), cause: cause.slice(0, MAX_CAUSE) }),
      );
      return true;
    } catch (caught) {
      if (isSpentToken(caught)) return false;
      throw caught;
    }
  }

  /** Stops an execution (Janitor, `shaketable halt`); errors, ExecutionDoesNotExist included, propagate. */
  async stopExecution(executionArn: string, error: string, cause: string): Promise<void> {
    await this.sfn.send(
      new StopExecutionCommand({ executionArn, error: error.slice(0, MAX_ERROR), cause: cause.slice(0, MAX_CAUSE) }),
    );
  }

  async describeExecution(executionArn: string): Promise<DescribeExecutionOutput> {
    return this.sfn.send(new DescribeExecutionCommand({ executionArn }));
  }
}
