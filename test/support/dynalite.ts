// A real DynamoDB protocol peer for tests: dynalite on 127.0.0.1 (ephemeral port), with run tables created exactly
// as RUN_TABLE_DEFINITION reports them (the CDK creates the same one). Close it in afterAll.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { RUN_TABLE_DEFINITION } from '../../functions/aws/dynamodb.js';

export interface LocalDynamo {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** creates a run table named `table` and waits until it is ACTIVE */
  createRunTable(table: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'dummy', secretAccessKey: 'dummy' },
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    client,
    doc,
    async createRunTable(table) {
      await client.send(
        new CreateTableCommand({
          TableName: table,
          AttributeDefinitions: RUN_TABLE_DEFINITION.attributeDefinitions,
          KeySchema: RUN_TABLE_DEFINITION.keySchema,
          GlobalSecondaryIndexes: RUN_TABLE_DEFINITION.globalSecondaryIndexes,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      for (let i = 0; i < 50; i++) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
        if (Table?.TableStatus === 'ACTIVE') return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`dynalite: table ${table} did not become ACTIVE`);
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
