import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { toUserError } from '../../../../cli/aws/errors.js';
import { readStackOutputs, STACK_OUTPUT_KEYS } from '../../../../cli/aws/stack.js';
import { UserError } from '../../../../cli/errors.js';
import { OUTPUTS } from '../../../../infra/stack.js';
import { awsError, BUCKET, mockedAws, REGION, STATE_MACHINE_ARN, stackOutputs, TABLE, TOPIC_ARN } from './harness.js';

describe('readStackOutputs', () => {
  it('reads the state machine, bucket, topic and table from the named stack', async () => {
    const { clients, mocks } = mockedAws();
    await expect(readStackOutputs(clients.cloudFormation, 'Shaketable-Staging', REGION)).resolves.toEqual({
      stackName: 'Shaketable-Staging',
      region: REGION,
      stateMachineArn: STATE_MACHINE_ARN,
      resultsBucketName: BUCKET,
      topicArn: TOPIC_ARN,
      runTableName: TABLE,
    });
    expect(mocks.cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'Shaketable-Staging',
    });
  });

  it('looks up exactly the output keys the stack declares', () => {
    expect(STACK_OUTPUT_KEYS).toEqual(OUTPUTS);
  });

  it('says in one line that a stack does not exist, naming it and the region', async () => {
    const { clients, mocks } = mockedAws();
    mocks.cloudFormation
      .on(DescribeStacksCommand)
      .rejects(awsError('ValidationError', 'Stack with id Nope does not exist'));
    const error = await readStackOutputs(clients.cloudFormation, 'Nope', REGION).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toBe(
      'stack "Nope" does not exist in eu-central-1: deploy it with `npx cdk deploy`, or pass --stack and --region',
    );
  });

  it('refuses a stack without the shaketable outputs', async () => {
    const { clients, mocks } = mockedAws();
    const other = stackOutputs();
    other.Stacks[0]!.Outputs = other.Stacks[0]!.Outputs.filter((o) => o.OutputKey !== 'RunTableName');
    mocks.cloudFormation.on(DescribeStacksCommand).resolves(other);
    await expect(readStackOutputs(clients.cloudFormation, 'Shaketable', REGION)).rejects.toThrow(
      /has no output RunTableName: is it a shaketable stack\?/,
    );
  });

  it('lets other CloudFormation errors through', async () => {
    const { clients, mocks } = mockedAws();
    mocks.cloudFormation.on(DescribeStacksCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    await expect(readStackOutputs(clients.cloudFormation, 'Shaketable', REGION)).rejects.toMatchObject({
      name: 'Throttling',
    });
  });
});

describe('toUserError', () => {
  it('turns missing credentials, region, expired or rejected credentials, access denied and network errors into one-line errors exiting 5', () => {
    const cases: Array<[Error, RegExp]> = [
      [
        awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
        /^no AWS credentials found: set AWS_PROFILE/,
      ],
      [new Error('Region is missing'), /^no AWS region: pass --region/],
      [awsError('ExpiredTokenException', 'The security token included in the request is expired'), /have expired/],
      [
        awsError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
        /rejected the credentials/,
      ],
      [
        awsError(
          'AccessDeniedException',
          'User: arn:aws:iam::1:user/x is not authorized to perform: states:StartExecution\nmore',
        ),
        /^AWS denied access: User: .* states:StartExecution; use credentials/,
      ],
      [
        Object.assign(new Error('getaddrinfo ENOTFOUND states.eu-central-1.amazonaws.com'), { code: 'ENOTFOUND' }),
        /^could not reach AWS \(ENOTFOUND\): getaddrinfo ENOTFOUND/,
      ],
      [awsError('TimeoutError', 'Connection timed out after 1000 ms'), /^could not reach AWS \(TimeoutError\)/],
    ];
    for (const [error, message] of cases) {
      const mapped = toUserError(error);
      expect(mapped).toBeInstanceOf(UserError);
      expect((mapped as UserError).message).toMatch(message);
      expect((mapped as UserError).message).not.toContain('\n');
      expect((mapped as UserError).exitCode).toBe(5);
    }
  });

  it('leaves every other error as it is', () => {
    const throttled = awsError('ThrottlingException');
    expect(toUserError(throttled)).toBe(throttled);
    expect(toUserError('text')).toBe('text');
  });
});
