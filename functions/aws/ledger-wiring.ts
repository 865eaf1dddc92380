// The run ledger's factory, apart from wiring.ts so only the handlers that use DynamoDB bundle it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ShaketableEnv } from './clients.js';
import { DynamoRunLedger } from './dynamodb.js';
import { clock } from './wiring.js';

export const ledger = (env: ShaketableEnv) =>
  new DynamoRunLedger(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: env.AWS_REGION }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    env.RUN_TABLE,
    clock,
  );
