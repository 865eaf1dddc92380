import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../core/ports.js';
import { DynamoRunLedger, RunNotFoundError } from '../../../functions/aws/dynamodb.js';
import { type LocalDynamo, startDynalite } from '../../support/dynalite.js';

const T0 = Date.parse('2026-03-03T10:00:00Z');
/** T0 in epoch seconds: the unit of lock expiry (as the plan computes it). */
const S0 = T0 / 1000;
const at = (ms: number) => ({ now: () => new Date(ms) });
const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

describe('DynamoRunLedger (commands)', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
  const mock = mockClient(doc);
  beforeEach(() => mock.reset());

  it('takes a lock with a conditional put that also frees an expired one', async () => {
    mock.on(PutCommand).resolves({});
    const result = await new DynamoRunLedger(doc, 'runs', at(T0)).acquireLock('abc123', 'run-1', S0 + 3600);

    expect(result).toEqual({ acquired: true, holder: 'run-1', expiresAt: S0 + 3600 });
    expect(mock.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'runs',
      Item: {
        pk: 'lock#abc123',
        sk: 'lock',
        lockKey: 'abc123',
        owner: 'run-1',
        expiresAt: S0 + 3600,
        ttl: S0 + 3600,
        acquiredAt: '2026-03-03T10:00:00.000Z',
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':now': S0, ':owner': 'run-1' },
    });
  });

  it('reports the holder when the condition fails', async () => {
    mock.on(PutCommand).rejects(conditionFailed());
    mock.on(GetCommand).resolves({ Item: { pk: 'lock#abc123', sk: 'lock', owner: 'run-0', expiresAt: S0 + 60 } });
    const result = await new DynamoRunLedger(doc, 'runs', at(T0)).acquireLock('abc123', 'run-1', S0 + 3600);
    expect(result).toEqual({ acquired: false, holder: 'run-0', expiresAt: S0 + 60 });
    expect(mock.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'runs',
      Key: { pk: 'lock#abc123', sk: 'lock' },
      ConsistentRead: true,
    });
  });

  it('lets other DynamoDB errors through', async () => {
    mock
      .on(PutCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(new DynamoRunLedger(doc, 'runs', at(T0)).acquireLock('k', 'r', S0 + 1)).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
  });

  it('refuses an expiry given in milliseconds instead of seconds', async () => {
    await expect(new DynamoRunLedger(doc, 'runs', at(T0)).acquireLock('k', 'r', T0 + 60_000)).rejects.toThrow(
      RangeError,
    );
    expect(mock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('releases only its own lock, and a lock it does not hold is not an error', async () => {
    mock.on(DeleteCommand).rejects(conditionFailed());
    await expect(new DynamoRunLedger(doc, 'runs').releaseLock('abc123', 'run-1')).resolves.toBeUndefined();
    expect(mock.commandCalls(DeleteCommand)[0]?.args[0].input).toEqual({
      TableName: 'runs',
      Key: { pk: 'lock#abc123', sk: 'lock' },
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': 'run-1' },
    });
  });

  it('finds a run by its FIS experiment through the byFaultId index', async () => {
    mock.on(QueryCommand).resolves({
      Items: [{ pk: 'run#r1', sk: 'run', runId: 'r1', experiment: 'e', status: 'RUNNING', startedAt: 'x' }],
    });
    const run = await new DynamoRunLedger(doc, 'runs').findRunByFaultId('EXP1');
    expect(run).toEqual({ runId: 'r1', experiment: 'e', status: 'RUNNING', startedAt: 'x' });
    expect(mock.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: 'runs',
      IndexName: 'byFaultId',
      KeyConditionExpression: '#id = :id',
      ExpressionAttributeNames: { '#id': 'fisExperimentId' },
      ExpressionAttributeValues: { ':id': 'EXP1' },
    });
  });
});

describe('DynamoRunLedger against dynalite on 127.0.0.1', () => {
  const table = 'shaketable-runs';
  let dynamo: LocalDynamo;
  let doc: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startDynalite();
    doc = dynamo.doc;
    await dynamo.createRunTable(table);
  });

  afterAll(async () => {
    await dynamo?.close();
  });

  it('lets exactly one of 20 concurrent runs take the same lock', async () => {
    const ledger = new DynamoRunLedger(doc, table, at(T0));
    const runs = Array.from({ length: 20 }, (_, i) => `run-${i}`);
    const results = await Promise.all(runs.map((run) => ledger.acquireLock('pool-a', run, S0 + 3600)));

    const winners = results.flatMap((r, i) => (r.acquired ? [runs[i]] : []));
    expect(winners).toHaveLength(1);
    for (const r of results.filter((r) => !r.acquired))
      expect(r).toEqual({ acquired: false, holder: winners[0], expiresAt: S0 + 3600 });
  });

  it('takes over a lock whose holder let it expire, and not one still held', async () => {
    await new DynamoRunLedger(doc, table, at(T0)).acquireLock('pool-b', 'old-run', S0 + 60);
    await expect(
      new DynamoRunLedger(doc, table, at(T0 + 30_000)).acquireLock('pool-b', 'new-run', S0 + 3600),
    ).resolves.toMatchObject({
      acquired: false,
      holder: 'old-run',
    });
    await expect(
      new DynamoRunLedger(doc, table, at(T0 + 61_000)).acquireLock('pool-b', 'new-run', S0 + 3600),
    ).resolves.toEqual({
      acquired: true,
      holder: 'new-run',
      expiresAt: S0 + 3600,
    });
  });

  it('lets the holding run take its lock again (a retried Preflight)', async () => {
    const ledger = new DynamoRunLedger(doc, table, at(T0));
    await ledger.acquireLock('pool-c', 'run-x', S0 + 60);
    await expect(ledger.acquireLock('pool-c', 'run-x', S0 + 60)).resolves.toMatchObject({ acquired: true });
  });

  it('releases a lock only for its holder', async () => {
    const ledger = new DynamoRunLedger(doc, table, at(T0));
    await ledger.acquireLock('pool-d', 'holder', S0 + 3600);
    await ledger.releaseLock('pool-d', 'someone-else');
    await expect(ledger.acquireLock('pool-d', 'third', S0 + 3600)).resolves.toMatchObject({
      acquired: false,
      holder: 'holder',
    });
    await ledger.releaseLock('pool-d', 'holder');
    await expect(ledger.acquireLock('pool-d', 'third', S0 + 3600)).resolves.toMatchObject({ acquired: true });
    await expect(ledger.releaseLock('pool-never-taken', 'third')).resolves.toBeUndefined();
  });

  it('records runs, updates them, and finds them by id, FIS experiment, experiment and status', async () => {
    const ledger = new DynamoRunLedger(doc, table, at(T0));
    const run = (id: string, experiment: string, startedAt: string, extra: Partial<RunRecord> = {}): RunRecord => ({
      runId: id,
      experiment,
      status: 'RUNNING',
      startedAt,
      trigger: 'schedule',
      ...extra,
    });
    await ledger.putRun(run('r1', 'checkout', '2026-03-01T10:00:00Z', { status: 'DONE', verdict: 'PASSED' }));
    await ledger.putRun(run('r2', 'checkout', '2026-03-02T10:00:00Z'));
    await ledger.putRun(run('r3', 'checkout', '2026-03-03T10:00:00Z'));
    await ledger.putRun(run('r4', 'orders', '2026-03-03T11:00:00Z', { lockKey: 'pool-e' }));
    await ledger.updateRun('r3', { fisExperimentId: 'EXP3', taskToken: 'token-3', stopCause: 'maxDuration' });

    await expect(ledger.getRun('r3')).resolves.toEqual(
      run('r3', 'checkout', '2026-03-03T10:00:00Z', {
        fisExperimentId: 'EXP3',
        taskToken: 'token-3',
        stopCause: 'maxDuration',
      }),
    );
    await expect(ledger.getRun('nope')).resolves.toBeUndefined();
    await expect(ledger.findRunByFaultId('EXP3')).resolves.toMatchObject({ runId: 'r3' });
    await expect(ledger.findRunByFaultId('EXP-unknown')).resolves.toBeUndefined();

    const history = await ledger.listRuns({ experiment: 'checkout' });
    expect(history.map((r) => r.runId)).toEqual(['r3', 'r2', 'r1']);
    expect((await ledger.listRuns({ experiment: 'checkout', limit: 2 })).map((r) => r.runId)).toEqual(['r3', 'r2']);
    expect((await ledger.listRuns({ experiment: 'checkout', status: 'DONE' })).map((r) => r.runId)).toEqual(['r1']);
    expect((await ledger.listRuns({ status: 'RUNNING' })).map((r) => r.runId)).toEqual(['r4', 'r3', 'r2']);
    // a scan of every run: lock items of the other tests are not runs
    expect((await ledger.listRuns({})).map((r) => r.runId)).toEqual(['r4', 'r3', 'r2', 'r1']);
  });

  it('keeps every field of a run record, approval token and timings included', async () => {
    const ledger = new DynamoRunLedger(doc, table, at(T0));
    const record: RunRecord = {
      runId: 'r9',
      experiment: 'timings',
      status: 'RUNNING',
      startedAt: '2026-03-03T12:00:00Z',
      approvalToken: 'approve-9',
      timing: { observeSeconds: 300, recoverySeconds: 300, ingestionDelaySeconds: 180, periodSeconds: 60 },
      expiresAt: S0 + 7200,
    };
    await ledger.putRun(record);
    await ledger.updateRun('r9', { status: 'DONE', verdict: 'PASSED', endedAt: '2026-03-03T12:20:00Z' });
    await expect(ledger.getRun('r9')).resolves.toEqual({
      ...record,
      status: 'DONE',
      verdict: 'PASSED',
      endedAt: '2026-03-03T12:20:00Z',
    });
  });

  it('refuses to update a run that was never recorded', async () => {
    await expect(new DynamoRunLedger(doc, table).updateRun('ghost', { status: 'DONE' })).rejects.toThrow(
      RunNotFoundError,
    );
  });

  it('appends acks until the run is closed to them, then refuses; closing twice keeps the first time', async () => {
    const ledger = new DynamoRunLedger(doc, table);
    await ledger.putRun({ runId: 'ack-1', experiment: 'e', status: 'RUNNING', startedAt: '2026-03-03T10:00:00Z' });
    const detected = { kind: 'detected' as const, at: '2026-03-03T10:01:00.000Z', by: 'arn:aws:iam::1:user/a' };
    const mitigated = { kind: 'mitigated' as const, at: '2026-03-03T10:02:00.000Z', by: 'b', note: 'failover' };
    expect(await ledger.appendAck('ack-1', detected)).toMatchObject({ accepted: true, run: { acks: [detected] } });
    expect(await ledger.appendAck('ack-1', mitigated)).toMatchObject({ run: { acks: [detected, mitigated] } });
    expect(await ledger.closeAcks('ack-1', '2026-03-03T10:03:00.000Z')).toEqual([detected, mitigated]);
    expect(await ledger.closeAcks('ack-1', '2026-03-03T10:04:00.000Z')).toEqual([detected, mitigated]);
    expect((await ledger.getRun('ack-1'))?.evaluatedAt).toBe('2026-03-03T10:03:00.000Z');
    expect(await ledger.appendAck('ack-1', detected)).toMatchObject({ accepted: false, refusal: 'evaluated' });
    expect(await ledger.appendAck('ghost', detected)).toEqual({ accepted: false, refusal: 'unknown' });
    await ledger.putRun({ runId: 'ack-2', experiment: 'e', status: 'DONE', startedAt: '2026-03-03T10:00:00Z' });
    expect(await ledger.appendAck('ack-2', detected)).toMatchObject({ accepted: false, refusal: 'evaluated' });
    expect(await ledger.closeAcks('ghost', '2026-03-03T10:03:00.000Z')).toEqual([]);
    expect(await ledger.getRun('ghost')).toBeUndefined();
    expect((await ledger.getRun('ack-1'))?.acks).toEqual([detected, mitigated]);
  });
});
