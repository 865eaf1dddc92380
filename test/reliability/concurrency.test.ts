// One run at a time per target, with the REAL DynamoDB ledger (DynamoRunLedger against dynalite on 127.0.0.1) wired
// into the real workflow: of 20 simultaneous runs exactly one injects and the other 19 are SKIPPED naming the lock
// holder; a crashed holder's lock (expiresAt in the past) is taken over by exactly one of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observe } from '../../core/steps/observe.js';
import { lockKey } from '../../core/targets/lock-key.js';
import { DynamoRunLedger } from '../../functions/aws/dynamodb.js';
import { runWorkflow } from '../../local/workflow.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { createWorld, experiment, type World } from '../workflow/fakes.js';
import { activeFaults, endFault, until } from './failures.js';

const RUNS = 20;

let dynamo: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo?.close();
});

/** A world whose run ledger is DynamoRunLedger on its own fresh table, on the world's virtual clock. */
async function dynamoWorld(): Promise<{ world: World; ledger: DynamoRunLedger }> {
  const definition = experiment();
  // Long enough that the winner is still injecting while every other run goes through Preflight.
  definition.fault.maxDuration = 'PT1M';
  const world = createWorld({ experiment: definition });
  const table = `runs-${++tables}`;
  await dynamo.createRunTable(table);
  const ledger = new DynamoRunLedger(dynamo.doc, table, world.deps.clock);
  world.deps.ledger = ledger;
  // The fault runs until the test ends it, so that no late run could take a lock the winner already released.
  world.fault = { hangs: true };
  return { world, ledger };
}

/** Starts `RUNS` executions at once; ends the one fault once every other run has its result, then awaits all. */
async function race(world: World, ledger: DynamoRunLedger) {
  const ids = Array.from({ length: RUNS }, (_, i) => `race-${tables}-${String(i).padStart(2, '0')}`);
  const executions = ids.map((runId) =>
    runWorkflow(
      world.deps,
      { experiment: 'checkout-instance-loss' },
      {
        runId,
        waitOverridesMs: { WaitForRecovery: 0 },
        retryPauseMs: 0,
        overrides: {
          Observe: async (input) => {
            world.advance((input as { fault: { waitSeconds: number } }).fault.waitSeconds * 1000);
            return observe(world.deps, input as never);
          },
        },
      },
    ),
  );
  await until(() => world.stored.length === RUNS - 1, 30_000, `${RUNS - 1} SKIPPED results`);
  const [fault] = [...world.faults.keys()];
  if (fault) endFault(world, fault);
  const outcomes = await Promise.all(executions.map((e) => e.result));
  expect(outcomes.every((o) => o.status === 'SUCCEEDED')).toBe(true);
  const runs = await Promise.all(ids.map((id) => ledger.getRun(id)));
  return { ids, runs };
}

describe('one run at a time per target, with the DynamoDB ledger on dynalite', () => {
  it(`lets exactly one of ${RUNS} simultaneous runs inject; the others are SKIPPED naming the holder`, async () => {
    const { world, ledger } = await dynamoWorld();
    const { runs } = await race(world, ledger);

    expect(world.calls.filter((c) => c === 'StartExperiment')).toHaveLength(1);
    const winner = runs.find((r) => r?.fisExperimentId)!;
    expect(winner.verdict).toBe('PASSED');
    const skipped = world.stored.filter((r) => r.verdict === 'SKIPPED');
    expect(skipped).toHaveLength(RUNS - 1);
    for (const result of skipped) expect(result.reasons.join('\n')).toContain(winner.runId);
    expect(runs.every((r) => r?.status === 'DONE')).toBe(true);
    expect(activeFaults(world)).toEqual([]);
    // The lock is free again: a later run takes it.
    const key = lockKey((await world.deps.catalog.get('checkout-instance-loss')).experiment);
    expect((await ledger.acquireLock(key, 'later', Math.floor(world.now() / 1000) + 60)).acquired).toBe(true);
  });

  it('takes over the lock of a crashed holder (expiresAt in the past), once, among the contenders', async () => {
    const { world, ledger } = await dynamoWorld();
    const key = lockKey((await world.deps.catalog.get('checkout-instance-loss')).experiment);
    const nowSeconds = Math.floor(world.now() / 1000);
    // The holder that will crash: while its lease runs, its lock is respected.
    expect((await ledger.acquireLock(key, 'crashed-run', nowSeconds + 60)).acquired).toBe(true);
    expect(await ledger.acquireLock(key, 'early', nowSeconds + 600)).toMatchObject({
      acquired: false,
      holder: 'crashed-run',
    });
    // It crashed; its lease ran out, but the item is still in the table (DynamoDB's TTL deletes only days later).
    world.advance(120_000);

    const { runs } = await race(world, ledger);
    expect(world.calls.filter((c) => c === 'StartExperiment')).toHaveLength(1);
    const winner = runs.find((r) => r?.fisExperimentId)!;
    expect(winner.verdict).toBe('PASSED');
    const skipped = world.stored.filter((r) => r.verdict === 'SKIPPED');
    expect(skipped).toHaveLength(RUNS - 1);
    for (const result of skipped) {
      expect(result.reasons.join('\n')).toContain(winner.runId);
      expect(result.reasons.join('\n')).not.toContain('crashed-run');
    }
  });
});
