// Every Lambda handler module (functions/*.ts with a `handler`), imported with its environment as deployed and run
// once against the SDK fakes (aws-sdk-client-mock): a handler wired with the wrong adapter, or missing a port its
// step uses, fails here instead of first in AWS. A new handler module without a row fails the first test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  GetExperimentCommand,
  type GetExperimentCommandOutput,
  GetExperimentTemplateCommand,
  ListExperimentResolvedTargetsCommand,
  StartExperimentCommand,
  StopExperimentCommand,
} from '@aws-sdk/client-fis';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { RunRecord } from '../../../core/ports.js';
import type { Plan } from '../../../core/steps/plan.js';
import { deployedTemplate, handlerContext, handlerMocks, useHandlerEnvironment } from '../../support/handlers.js';
import { experiment } from '../../workflow/fakes.js';

const FUNCTIONS_DIR = join(import.meta.dirname, '..', '..', '..', 'functions');

const { ssm, cloudwatch, fis, sfn, dynamo, ec2, s3, sns } = handlerMocks();
/** What the rows need of a client fake. */
interface Stub {
  commandCalls(command: never): readonly unknown[];
  reset(): void;
}
const MOCKS: Stub[] = [ssm, cloudwatch, fis, sfn, dynamo, ec2, s3, sns];

const definition = experiment();
const context = handlerContext;
useHandlerEnvironment(definition);
const HOUR = 3_600_000;
/** The fault ran two hours ago, so its recovery data is complete (ingestion delay and all). */
const FAULT_START = Date.now() - 2 * HOUR;
const RUN_ID = 'run-every-1';

/** What the rows pass on to later rows (Load's plan, Evaluate's result…). */
const state: Record<string, unknown> = {};
/** The run as the DynamoDB fake returns it to GetCommand. */
let run: RunRecord | undefined;

/** FIS's answer about the run's experiment (statuses are open strings: the pinned client's enum lags FIS). */
const experimentOf = (status: string): GetExperimentCommandOutput => ({
  experiment: {
    id: 'EXP1',
    state: { status },
    startTime: new Date(FAULT_START),
    ...(status === 'running' || status === 'stopping' ? {} : { endTime: new Date(FAULT_START + 300_000) }),
    tags: { 'shaketable:run': RUN_ID },
  } as GetExperimentCommandOutput['experiment'],
  $metadata: {},
});

const plan = () => state.plan as Plan;
const runRecord = (fields: Partial<RunRecord> = {}): RunRecord => ({
  runId: RUN_ID,
  experiment: definition.name,
  status: 'RUNNING',
  startedAt: new Date(FAULT_START - HOUR).toISOString(),
  ...fields,
});
const completedFault = {
  ended: true,
  experimentId: 'EXP1',
  status: 'completed',
  startTime: new Date(FAULT_START).toISOString(),
  endTime: new Date(FAULT_START + 300_000).toISOString(),
  waitSeconds: 0,
};

const earlierBaseline = {
  held: true,
  reasons: [],
  checks: [],
  window: { start: FAULT_START - 660_000, end: FAULT_START - 60_000 },
};

interface Row {
  /** functions/<file>.ts */
  file: string;
  arrange?: () => void;
  event: () => unknown;
  /** SDK commands the run must have sent (each at least once) */
  sends: Array<[Stub, { name: string }]>;
  /** what to keep of the output for later rows */
  keep?: (output: unknown) => void;
}

/** In workflow order, so each row can use what the earlier ones returned. */
const ROWS: Row[] = [
  {
    file: 'load',
    event: () => ({
      input: { experiment: definition.name },
      runId: RUN_ID,
      startedAt: new Date(FAULT_START - HOUR).toISOString(),
    }),
    sends: [
      [ssm, GetParameterCommand],
      [fis, GetExperimentTemplateCommand],
      [dynamo, PutCommand],
    ],
    keep: (output) => Object.assign(state, output),
  },
  {
    file: 'resolve-targets',
    event: () => ({ group: plan().targetGroups[0] }),
    sends: [[ec2, DescribeInstancesCommand]],
    keep: (output) => {
      state.pools = [output];
    },
  },
  {
    file: 'preflight',
    event: () => ({ plan: plan(), pools: state.pools }),
    sends: [
      [ssm, GetParameterCommand],
      [cloudwatch, DescribeAlarmsCommand],
      [dynamo, PutCommand],
      [dynamo, UpdateCommand],
    ],
    keep: (output) => {
      state.preflight = output;
    },
  },
  {
    file: 'approval',
    event: () => ({ token: 'approval-token', plan: plan(), timeoutSeconds: 60 }),
    sends: [
      [dynamo, UpdateCommand],
      [sns, PublishCommand],
    ],
  },
  {
    file: 'baseline',
    event: () => ({ plan: plan() }),
    sends: [[cloudwatch, GetMetricDataCommand]],
    keep: (output) => {
      state.baseline = output;
    },
  },
  {
    file: 'inject-fault',
    arrange: () => {
      run = runRecord();
    },
    event: () => ({ token: 'inject-token', plan: plan(), timeoutSeconds: 600 }),
    sends: [
      [dynamo, GetCommand],
      [ssm, GetParameterCommand],
      [cloudwatch, DescribeAlarmsCommand],
      [dynamo, UpdateCommand],
      [fis, StartExperimentCommand],
      [fis, GetExperimentCommand],
    ],
  },
  {
    file: 'reconcile',
    arrange: () => {
      run = runRecord({ fisExperimentId: 'EXP1', taskToken: 'inject-token' });
      fis.on(GetExperimentCommand).resolves(experimentOf('completed'));
    },
    event: () => ({ plan: plan() }),
    sends: [
      [dynamo, GetCommand],
      [fis, GetExperimentCommand],
    ],
  },
  {
    file: 'stop-fault',
    arrange: () => {
      run = runRecord({ fisExperimentId: 'EXP1', taskToken: 'inject-token' });
    },
    event: () => ({ plan: plan(), cause: 'orchestrator-error' }),
    sends: [
      [dynamo, GetCommand],
      [fis, GetExperimentCommand],
      [dynamo, UpdateCommand],
      [fis, StopExperimentCommand],
    ],
  },
  {
    file: 'observe',
    // the Baseline row read the last minutes; this fault ran two hours ago, after a baseline of its own
    event: () => ({ plan: plan(), fault: completedFault, baseline: earlierBaseline }),
    sends: [[cloudwatch, GetMetricDataCommand]],
    keep: (output) => {
      state.observation = output;
    },
  },
  {
    file: 'evaluate',
    event: () => ({
      plan: plan(),
      preflight: state.preflight,
      baseline: earlierBaseline,
      // stopped by something other than shaketable: Evaluate asks the stop-condition alarms too
      fault: { ...completedFault, status: 'stopped' },
      observation: state.observation,
    }),
    sends: [
      [fis, ListExperimentResolvedTargetsCommand],
      [cloudwatch, DescribeAlarmHistoryCommand],
    ],
    keep: (output) => Object.assign(state, output),
  },
  {
    file: 'publish',
    arrange: () => {
      run = runRecord({ lockKey: 'lock#abc' });
    },
    event: () => ({ plan: plan(), result: state.result }),
    sends: [
      [dynamo, GetCommand],
      [s3, PutObjectCommand],
      [dynamo, UpdateCommand],
      [dynamo, DeleteCommand],
      [sns, PublishCommand],
    ],
  },
  {
    file: 'fault-ended',
    arrange: () => {
      run = runRecord({ fisExperimentId: 'EXP1', taskToken: 'inject-token' });
      fis.on(GetExperimentCommand).resolves(experimentOf('completed'));
    },
    event: () => ({
      'detail-type': 'FIS Experiment State Change',
      source: 'aws.fis',
      detail: { 'experiment-id': 'EXP1', 'new-state': { status: 'completed' } },
    }),
    sends: [
      [fis, GetExperimentCommand],
      [dynamo, GetCommand],
      [sfn, SendTaskSuccessCommand],
    ],
  },
  {
    file: 'janitor',
    arrange: () => {
      run = runRecord({ fisExperimentId: 'EXP1', taskToken: 'inject-token', lockKey: 'lock#abc' });
    },
    event: () => ({ source: 'aws.states', detail: { name: RUN_ID, status: 'ABORTED' } }),
    sends: [
      [dynamo, GetCommand],
      [fis, GetExperimentCommand],
      [fis, StopExperimentCommand],
      [s3, PutObjectCommand],
      [dynamo, UpdateCommand],
      [dynamo, DeleteCommand],
    ],
  },
];

/** Every SDK fake answers as a healthy account would; rows change what they need. */
function healthyAccount(): void {
  for (const mock of MOCKS) mock.reset();
  ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => {
    if (input.Name === '/shaketable/halt') return { Parameter: { Value: JSON.stringify({ on: false }) } };
    return { Parameter: { Value: JSON.stringify({ templateId: 'EXTabc123', compiledAlarms: [] }) } };
  });
  fis.on(GetExperimentTemplateCommand).resolves(deployedTemplate(definition));
  fis.on(StartExperimentCommand).resolves(experimentOf('running'));
  fis.on(GetExperimentCommand).resolves(experimentOf('running'));
  fis.on(StopExperimentCommand).resolves(experimentOf('stopping'));
  fis.on(ListExperimentResolvedTargetsCommand).resolves({ resolvedTargets: [] });
  cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => ({
    MetricAlarms: (input.AlarmNames ?? []).map((AlarmName) => ({ AlarmName, StateValue: 'OK' })),
  }));
  cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
  dynamo.on(GetCommand).callsFake(() => (run ? { Item: run } : {}));
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  sfn.on(SendTaskSuccessCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [{ OwnerId: '1', Instances: [{ InstanceId: 'i-1', Tags: [{ Key: 'app', Value: 'checkout' }] }] }],
  });
  run = undefined;
}

describe('every Lambda handler module', () => {
  it('has a row here', () => {
    const handlers = readdirSync(FUNCTIONS_DIR)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /export const handler\b/.test(readFileSync(join(FUNCTIONS_DIR, f), 'utf8')))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(handlers.length).toBeGreaterThanOrEqual(13);
    expect(ROWS.map((r) => r.file).sort()).toEqual(handlers.sort());
  });

  // Sequential: later rows use what earlier ones returned.
  for (const row of ROWS) {
    it(`functions/${row.file}.ts runs once against the fakes and sends what its step needs`, async () => {
      healthyAccount();
      row.arrange?.();
      const { handler } = (await import(`../../../functions/${row.file}.ts`)) as {
        handler: (event: unknown, context: Context) => Promise<unknown>;
      };
      const output = await handler(row.event(), context);
      for (const [mock, command] of row.sends) {
        expect(mock.commandCalls(command as never).length, `${row.file}: ${command.name}`).toBeGreaterThan(0);
      }
      row.keep?.(output);
    });
  }
});

describe('a function shared by two states', () => {
  it.each([
    ['stop-fault', () => ({ plan: plan(), cause: 'maxDuration' }), 'StopOverdueFault done'],
    ['stop-fault', () => ({ plan: plan(), cause: 'orchestrator-error' }), 'StopFault done'],
    [
      'publish',
      () => ({ failure: { plan: plan(), error: { Error: 'Lambda.Unknown', Cause: 'boom' } } }),
      'PublishError done',
    ],
    ['publish', () => ({ plan: plan(), result: state.result }), 'Publish done'],
  ])('functions/%s.ts logs under the state that called it', async (file, event, line) => {
    healthyAccount();
    run = runRecord({ fisExperimentId: 'EXP1', taskToken: 'inject-token' });
    const { logger } = await import('../../../functions/handler.js');
    const info = vi.spyOn(logger, 'info');
    const { handler } = (await import(`../../../functions/${file}.ts`)) as {
      handler: (event: unknown, context: Context) => Promise<unknown>;
    };
    await handler(event(), context);
    expect(info.mock.calls.map(([message]) => message)).toContain(line);
    info.mockRestore();
  });
});
