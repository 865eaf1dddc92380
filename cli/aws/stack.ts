// The deployed shaketable stack, found by name through CloudFormation: its outputs tell the CLI which state
// machine, results bucket, topic and run table to use (infra/stack.ts OUTPUTS; the CLI does not import the CDK).
import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { UserError } from '../errors.js';

/** Output keys as infra/stack.ts declares them (a test keeps the two in step). */
export const STACK_OUTPUT_KEYS = {
  stateMachineArn: 'StateMachineArn',
  resultsBucketName: 'ResultsBucketName',
  topicArn: 'TopicArn',
  runTableName: 'RunTableName',
} as const;

export interface StackOutputs {
  stackName: string;
  region: string;
  stateMachineArn: string;
  resultsBucketName: string;
  topicArn: string;
  runTableName: string;
}

const DEPLOY_HINT = 'deploy it with `npx cdk deploy`, or pass --stack and --region';

/** DescribeStacks of `stackName`; a missing stack or output is a UserError (exit 2) naming the stack and region. */
export async function readStackOutputs(
  cfn: CloudFormationClient,
  stackName: string,
  region: string,
): Promise<StackOutputs> {
  let stacks: DescribeStacksCommandOutput['Stacks'];
  try {
    ({ Stacks: stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName })));
  } catch (error) {
    // CloudFormation answers an unknown stack name with ValidationError "Stack with id X does not exist".
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) {
      throw new UserError(`stack "${stackName}" does not exist in ${region}: ${DEPLOY_HINT}`);
    }
    throw error;
  }
  const stack = stacks?.[0];
  if (!stack) throw new UserError(`stack "${stackName}" does not exist in ${region}: ${DEPLOY_HINT}`);
  const values = new Map((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const missing = Object.values(STACK_OUTPUT_KEYS).filter((key) => !values.get(key));
  if (missing.length) {
    throw new UserError(
      `stack "${stackName}" in ${region} (${stack.StackStatus ?? 'unknown status'}) has no output ${missing.join(', ')}: is it a shaketable stack? ${DEPLOY_HINT}`,
    );
  }
  const value = (key: keyof typeof STACK_OUTPUT_KEYS) => values.get(STACK_OUTPUT_KEYS[key]) as string;
  return {
    stackName,
    region,
    stateMachineArn: value('stateMachineArn'),
    resultsBucketName: value('resultsBucketName'),
    topicArn: value('topicArn'),
    runTableName: value('runTableName'),
  };
}
