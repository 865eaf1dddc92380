// DynamoDB run ledger: target locks, task tokens and run history in one table (DocumentClient).
//
// Table (RUN_TABLE_DEFINITION below; infra creates exactly this, the dynalite test too):
//   partition key pk (S), sort key sk (S) (as infra/constructs/results.ts RUN_TABLE_KEYS); items:
//     pk lock#<lockKey>, sk lock   {owner, expiresAt (epoch s), ttl (epoch s), lockKey, acquiredAt}
//     (LockResult.expiresAt and the acquireLock argument are epoch seconds too, like RunRecord.expiresAt)
//     pk run#<runId>,    sk run    the RunRecord fields (runId, experiment, status, startedAt, fisExperimentId, …)
//   GSI byExperiment  experiment (S) / startedAt (S), projection ALL  — history of one experiment, newest first
//   GSI byStatus      status (S) / startedAt (S), projection ALL      — runs still RUNNING (Janitor sweep)
//   GSI byFaultId     fisExperimentId (S), projection ALL             — run of an FIS experiment
//   TTL attribute     ttl (lock items only; run history is kept)
// Lock items carry none of the GSI attributes, so the indexes hold run items only.
import type { AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AckLedger,
  type AckRefusal,
  type Clock,
  type LockResult,
  type RunLedger,
  type RunRecord,
  systemClock,
} from '../../core/ports.js';
import type { Ack } from '../../core/result/model.js';

/** The run table's keys, indexes and TTL attribute, in CreateTable terms (minus the table name). */
export const RUN_TABLE_DEFINITION: {
  partitionKey: string;
  sortKey: string;
  timeToLiveAttribute: string;
  attributeDefinitions: AttributeDefinition[];
  keySchema: KeySchemaElement[];
  globalSecondaryIndexes: Array<Required<Pick<GlobalSecondaryIndex, 'IndexName' | 'KeySchema' | 'Projection'>>>;
} = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'ttl',
  attributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'experiment', AttributeType: 'S' },
    { AttributeName: 'startedAt', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'fisExperimentId', AttributeType: 'S' },
  ],
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  globalSecondaryIndexes: [
    {
      IndexName: 'byExperiment',
      KeySchema: [
        { AttributeName: 'experiment', KeyType: 'HASH' },
        { AttributeName: 'startedAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: 'byStatus',
      KeySchema: [
        { AttributeName: 'status', KeyType: 'HASH' },
        { AttributeName: 'startedAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: 'byFaultId',
      KeySchema: [{ AttributeName: 'fisExperimentId', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

/** Item keys. The sort key is constant per item kind: one table, room for more kinds of items later. */
export const lockKeyOf = (key: string) => ({ pk: `lock#${key}`, sk: 'lock' });
export const runKeyOf = (runId: string) => ({ pk: `run#${runId}`, sk: 'run' });

/** updateRun on a run that was never put. */
export class RunNotFoundError extends Error {
  override readonly name = 'Shaketable.RunNotFound';
  constructor(readonly runId: string) {
    super(`run ${runId} is not in the run table`);
  }
}

function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Attributes of the table itself, never part of a RunRecord. */
const KEY_ATTRIBUTES = new Set(['pk', 'sk']);

/** Every defined field of the record (the ledger stores RunRecord as it grows, without a field list to maintain). */
function definedFields(record: Partial<RunRecord>): Array<[string, unknown]> {
  return Object.entries(record).filter(([field, value]) => value !== undefined && !KEY_ATTRIBUTES.has(field));
}

function toRun(item: Record<string, unknown> | undefined): RunRecord | undefined {
  if (!item) return undefined;
  return Object.fromEntries(
    Object.entries(item).filter(([field]) => !KEY_ATTRIBUTES.has(field)),
  ) as unknown as RunRecord;
}

/**
 * Lock expiry is epoch seconds, as the plan computes it (RunRecord.expiresAt) and as DynamoDB's TTL needs it.
 * A value that is plainly milliseconds is refused rather than stored as a lease of 50,000 years.
 */
function assertEpochSeconds(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds > 1e11) {
    throw new RangeError(`lock expiresAt must be epoch seconds, got ${seconds}`);
  }
  return Math.ceil(seconds);
}

export class DynamoRunLedger implements RunLedger, AckLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Takes the lock when nobody holds it, its holder's lease has expired (DynamoDB's TTL deletes items only days
   * later, so the condition is what frees it), or this run already holds it (a retried Preflight).
   */
  async acquireLock(key: string, runId: string, expiresAt: number): Promise<LockResult> {
    const expires = assertEpochSeconds(expiresAt);
    const now = Math.floor(this.clock.now().getTime() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...lockKeyOf(key),
            lockKey: key,
            owner: runId,
            expiresAt: expires,
            ttl: expires,
            acquiredAt: this.clock.now().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': now, ':owner': runId },
        }),
      );
      return { acquired: true, holder: runId, expiresAt: expires };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const held = await this.db.send(
      new GetCommand({ TableName: this.table, Key: lockKeyOf(key), ConsistentRead: true }),
    );
    const result: LockResult = { acquired: false };
    if (typeof held.Item?.owner === 'string') result.holder = held.Item.owner;
    if (typeof held.Item?.expiresAt === 'number') result.expiresAt = held.Item.expiresAt;
    return result;
  }

  /** Deletes the lock only if this run holds it; a lock held by another run, or by nobody, is left alone. */
  async releaseLock(key: string, runId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: lockKeyOf(key),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': runId },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  async putRun(run: RunRecord): Promise<void> {
    const item: Record<string, unknown> = { ...Object.fromEntries(definedFields(run)), ...runKeyOf(run.runId) };
    await this.db.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  async updateRun(runId: string, fields: Partial<RunRecord>): Promise<void> {
    if (fields.runId !== undefined && fields.runId !== runId) {
      throw new RangeError(`updateRun(${runId}) cannot change the run id to ${fields.runId}`);
    }
    const set = definedFields(fields).filter(([field]) => field !== 'runId');
    if (!set.length) return;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    set.forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: runKeyOf(runId),
          UpdateExpression: `SET ${set.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) throw new RunNotFoundError(runId);
      throw error;
    }
  }

  /**
   * Appends the ack to the run item in one conditional write: refused once Evaluate closed the run to acks
   * (`evaluatedAt`) or the run ended another way (DONE), so no ack is recorded after its verdict was decided.
   */
  async appendAck(
    runId: string,
    ack: Ack,
  ): Promise<{ accepted: true; run: RunRecord } | { accepted: false; refusal: AckRefusal; run?: RunRecord }> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: runKeyOf(runId),
          UpdateExpression: 'SET #acks = list_append(if_not_exists(#acks, :none), :ack)',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#evaluatedAt) AND #status <> :done',
          ExpressionAttributeNames: { '#acks': 'acks', '#evaluatedAt': 'evaluatedAt', '#status': 'status' },
          ExpressionAttributeValues: { ':none': [], ':ack': [ack], ':done': 'DONE' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { accepted: true, run: toRun(out.Attributes) as RunRecord };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const run = await this.getRun(runId);
    return run ? { accepted: false, refusal: 'evaluated', run } : { accepted: false, refusal: 'unknown' };
  }

  async readAcks(runId: string): Promise<Ack[]> {
    return (await this.getRun(runId))?.acks ?? [];
  }

  /**
   * Sets `evaluatedAt` (kept from a first close: a retried Evaluate reads the same acks) and returns the acks; a run
   * with no record has none.
   */
  async closeAcks(runId: string, at: string): Promise<Ack[]> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: runKeyOf(runId),
          UpdateExpression: 'SET #evaluatedAt = if_not_exists(#evaluatedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#evaluatedAt': 'evaluatedAt' },
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return (out.Attributes?.acks as Ack[] | undefined) ?? [];
    } catch (error) {
      // No record: the run never started a fault (SKIPPED at Preflight), so no ack could have been taken for it.
      if (isConditionFailed(error)) return [];
      throw error;
    }
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: runKeyOf(runId), ConsistentRead: true }),
    );
    return toRun(out.Item);
  }

  /** Through the byFaultId index (eventually consistent: FaultEnded finds its run by the run tag instead). */
  async findRunByFaultId(fisExperimentId: string): Promise<RunRecord | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byFaultId',
        KeyConditionExpression: '#id = :id',
        ExpressionAttributeNames: { '#id': 'fisExperimentId' },
        ExpressionAttributeValues: { ':id': fisExperimentId },
      }),
    );
    return toRun(out.Items?.[0]);
  }

  /** Newest first. By experiment (optionally of one status), by status, or, with neither, a scan of all runs. */
  async listRuns(filter: { experiment?: string; status?: RunRecord['status']; limit?: number }): Promise<RunRecord[]> {
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    if (filter.experiment !== undefined) {
      return this.#query(
        {
          TableName: this.table,
          IndexName: 'byExperiment',
          KeyConditionExpression: '#experiment = :experiment',
          ...(filter.status ? { FilterExpression: '#status = :status' } : {}),
          ExpressionAttributeNames: { '#experiment': 'experiment', ...(filter.status ? { '#status': 'status' } : {}) },
          ExpressionAttributeValues: {
            ':experiment': filter.experiment,
            ...(filter.status ? { ':status': filter.status } : {}),
          },
          ScanIndexForward: false,
        },
        limit,
      );
    }
    if (filter.status !== undefined) {
      return this.#query(
        {
          TableName: this.table,
          IndexName: 'byStatus',
          KeyConditionExpression: '#status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': filter.status },
          ScanIndexForward: false,
        },
        limit,
      );
    }
    const runs: RunRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'begins_with(pk, :run)',
          ExpressionAttributeValues: { ':run': 'run#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) runs.push(toRun(item) as RunRecord);
      start = page.LastEvaluatedKey;
    } while (start);
    runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return runs.slice(0, limit);
  }

  async #query(input: QueryCommandInput, limit: number): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        runs.push(toRun(item) as RunRecord);
        if (runs.length >= limit) return runs;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return runs;
  }
}
