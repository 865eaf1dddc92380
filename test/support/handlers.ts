// What every Lambda handler test needs, in one place: the environment the ExperimentWorkflow construct gives every
// function (with a bundled catalog.json in a temp dir), a Lambda context, and the FIS template as Load reads it back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { FisClient, type GetExperimentTemplateCommandOutput } from '@aws-sdk/client-fis';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll } from 'vitest';
import type { Experiment } from '../../core/experiment/schema.js';

/** Every SDK client the handlers make, mocked (aws-sdk-client-mock: every instance of the class). */
export function handlerMocks() {
  return {
    ssm: mockClient(SSMClient),
    cloudwatch: mockClient(CloudWatchClient),
    fis: mockClient(FisClient),
    sfn: mockClient(SFNClient),
    dynamo: mockClient(DynamoDBDocumentClient),
    ec2: mockClient(EC2Client),
    rds: mockClient(RDSClient),
    s3: mockClient(S3Client),
    sns: mockClient(SNSClient),
  };
}

export const handlerContext = {
  functionName: 'test',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:test',
} as Context;

/**
 * Sets the handlers' environment (defaults left to the handlers) with a catalog.json holding `definition` before the
 * file's tests, and restores the environment and removes the catalog after them.
 */
export function useHandlerEnvironment(definition: Experiment): void {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'shaketable-handlers-'));
  beforeAll(() => {
    const catalog = join(dir, 'catalog.json');
    writeFileSync(catalog, JSON.stringify({ version: 1, experiments: { [definition.name]: definition } }));
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIATESTTESTTESTTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      RESULTS_BUCKET: 'results-bucket',
      TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:shaketable',
      RUN_TABLE: 'runs-table',
      CATALOG_FILE: catalog,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });
}

/** The deployed template, as Load reads it back from FIS: the catalog definition's, tagged by the CDK. */
export function deployedTemplate(definition: Experiment): GetExperimentTemplateCommandOutput {
  const template = definition.fault.template!;
  return {
    $metadata: {},
    experimentTemplate: {
      id: 'EXTabc123',
      tags: { 'shaketable:experiment': definition.name },
      targets: template.targets,
      actions: template.actions,
      stopConditions: (template.stopConditions ?? []).map((value) => ({ source: 'aws:cloudwatch:alarm', value })),
    },
  };
}
