import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetExperimentCommand, GetExperimentTemplateCommand } from '@aws-sdk/client-fis';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../core/steps/plan.js';
import { deployedTemplate, handlerContext, handlerMocks, useHandlerEnvironment } from '../../support/handlers.js';
import { experiment } from '../../workflow/fakes.js';

const { ssm, cloudwatch, fis, sfn, dynamo, ec2, rds } = handlerMocks();

const definition = experiment();
const context = handlerContext;
useHandlerEnvironment(definition);

beforeEach(() => {
  for (const mock of [ssm, cloudwatch, fis, sfn, dynamo, ec2, rds]) mock.reset();
  fis.on(GetExperimentTemplateCommand).resolves(deployedTemplate(definition));
});

describe('Lambda handlers', () => {
  it('Load joins the bundled catalog with the deploy-time ids from SSM', async () => {
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: JSON.stringify({ templateId: 'EXTabc123', compiledAlarms: ['a1'] }) } });
    const { handler } = await import('../../../functions/load.js');
    const out = (await handler(
      { input: { experiment: definition.name }, runId: 'run-1', startedAt: '2026-11-23T10:00:00.000Z' },
      context,
    )) as { plan: Plan };
    expect(out.plan).toMatchObject({
      runId: 'run-1',
      experiment: definition.name,
      templateId: 'EXTabc123',
      compiledAlarms: ['a1'],
      externalTemplate: { id: 'EXTabc123', tags: { 'shaketable:experiment': definition.name } },
      targetGroups: [{ resourceType: 'aws:ec2:instance', targets: definition.fault.template!.targets }],
    });
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: `/shaketable/catalog/${definition.name}`,
    });
    expect(fis.commandCalls(GetExperimentTemplateCommand)[0]?.args[0].input).toEqual({ id: 'EXTabc123' });
  });

  it('Load refuses input that names a template, with the stable error name', async () => {
    const { handler } = await import('../../../functions/load.js');
    await expect(
      handler(
        {
          input: { experiment: definition.name, templateId: 'EXTevil' },
          runId: 'run-2',
          startedAt: '2026-11-23T10:00:00.000Z',
        },
        context,
      ),
    ).rejects.toMatchObject({ name: 'Shaketable.InvalidInput' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });

  it('Observe reads every probe over all phases in one GetMetricData call', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const { handler: load } = await import('../../../functions/load.js');
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify({ templateId: 'EXTabc123' }) } });
    const { plan } = (await load(
      {
        input: { experiment: definition.name },
        runId: 'run-3',
        startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
      context,
    )) as { plan: Plan };
    const { handler } = await import('../../../functions/observe.js');
    const start = Date.now() - 1_800_000;
    const out = (await handler(
      {
        plan,
        fault: {
          ended: true,
          status: 'completed',
          startTime: new Date(start).toISOString(),
          endTime: new Date(start + 300_000).toISOString(),
          waitSeconds: 0,
        },
        baseline: { held: true, reasons: [], checks: [], window: { start: start - 660_000, end: start - 60_000 } },
      },
      context,
    )) as { phases: unknown };
    expect(out.phases).not.toBeNull();
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
  });

  it('FaultEnded completes the waiting token of the run named by the experiment tag, for the experiment it recorded', async () => {
    fis.on(GetExperimentCommand).resolves({
      experiment: {
        id: 'EXP1',
        state: { status: 'completed' },
        startTime: new Date(),
        endTime: new Date(),
        tags: { 'shaketable:run': 'run-9' },
      },
    });
    dynamo.on(GetCommand).resolves({
      Item: {
        runId: 'run-9',
        experiment: definition.name,
        status: 'RUNNING',
        startedAt: 'x',
        taskToken: 'token-9',
        fisExperimentId: 'EXP1',
        observeSeconds: 300,
        recoveryWaitSeconds: 300,
      },
    });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const { handler } = await import('../../../functions/fault-ended.js');
    const outcome = await handler(
      {
        'detail-type': 'FIS Experiment State Change',
        source: 'aws.fis',
        detail: { 'experiment-id': 'EXP1', 'new-state': { status: 'completed' } },
      },
      context,
    );
    expect(outcome).toMatchObject({ action: 'completed', runId: 'run-9' });
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(sent?.taskToken).toBe('token-9');
    expect(JSON.parse(sent?.output ?? '{}')).toMatchObject({ status: 'completed', experimentId: 'EXP1', ended: true });
  });

  it('FaultEnded trusts no tagged experiment before the run recorded its own (the tag can be copied)', async () => {
    fis.on(GetExperimentCommand).resolves({
      experiment: {
        id: 'EXP1',
        state: { status: 'completed' },
        startTime: new Date(),
        endTime: new Date(),
        tags: { 'shaketable:run': 'run-9' },
      },
    });
    dynamo.on(GetCommand).resolves({
      Item: {
        runId: 'run-9',
        experiment: definition.name,
        status: 'RUNNING',
        startedAt: 'x',
        taskToken: 'token-9',
        observeSeconds: 300,
        recoveryWaitSeconds: 300,
      },
    });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const { handler } = await import('../../../functions/fault-ended.js');
    const outcome = await handler(
      {
        'detail-type': 'FIS Experiment State Change',
        source: 'aws.fis',
        detail: { 'experiment-id': 'EXP1', 'new-state': { status: 'completed' } },
      },
      context,
    );
    expect(outcome).toMatchObject({
      action: 'ignored',
      reason: expect.stringMatching(
        /^run run-9 has not recorded its experiment yet; EXP1 is not trusted by its tag alone/,
      ),
    });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('FaultEnded ignores experiments shaketable did not start', async () => {
    fis.on(GetExperimentCommand).resolves({ experiment: { id: 'EXP2', state: { status: 'completed' }, tags: {} } });
    dynamo.resolves({ Items: [] });
    const { handler } = await import('../../../functions/fault-ended.js');
    const outcome = await handler(
      {
        'detail-type': 'FIS Experiment State Change',
        source: 'aws.fis',
        detail: { 'experiment-id': 'EXP2', 'new-state': { status: 'completed' } },
      },
      context,
    );
    expect(outcome).toMatchObject({ action: 'ignored' });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });
});

describe('ResolveTargets handler', () => {
  it('returns one resource type’s pools as counts, each type through its own client', async () => {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          OwnerId: '1',
          Instances: ['i-1', 'i-2', 'i-3'].map((InstanceId) => ({ InstanceId, Tags: [{ Key: 'app', Value: 'x' }] })),
        },
      ],
    });
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [{ DBInstanceArn: 'arn:aws:rds:us-east-1:1:db:orders', TagList: [{ Key: 'app', Value: 'x' }] }],
    });
    const target = (resourceType: string) => ({ resourceType, resourceTags: { app: 'x' }, selectionMode: 'COUNT(1)' });
    const { handler: resolveTargets } = await import('../../../functions/resolve-targets.js');
    await expect(
      resolveTargets(
        {
          group: {
            resourceType: 'aws:ec2:instance',
            targets: { web: target('aws:ec2:instance') },
          },
        },
        context,
      ),
    ).resolves.toEqual({
      resourceType: 'aws:ec2:instance',
      distinct: 3,
      targets: [{ target: 'web', eligible: 3, selectionMode: 'COUNT(1)' }],
    });
    await expect(
      resolveTargets({ group: { resourceType: 'aws:rds:db', targets: { db: target('aws:rds:db') } } }, context),
    ).resolves.toEqual({
      resourceType: 'aws:rds:db',
      distinct: 1,
      targets: [{ target: 'db', eligible: 1, selectionMode: 'COUNT(1)' }],
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(1);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
  });
});

describe('Reconcile handler', () => {
  it('asks FIS for the recorded experiment and times the Wait to the end of the fault phase', async () => {
    const start = Date.now() - 60_000;
    dynamo.on(GetCommand).resolves({
      Item: {
        runId: 'run-r',
        experiment: definition.name,
        status: 'RUNNING',
        startedAt: 'x',
        fisExperimentId: 'EXP7',
      },
    });
    fis.on(GetExperimentCommand).resolves({
      experiment: {
        id: 'EXP7',
        state: { status: 'completed' },
        startTime: new Date(start),
        endTime: new Date(start + 5_000),
      },
    });
    const { handler: load } = await import('../../../functions/load.js');
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify({ templateId: 'EXTabc123' }) } });
    const { plan } = (await load(
      { input: { experiment: definition.name }, runId: 'run-r', startedAt: new Date(start).toISOString() },
      context,
    )) as {
      plan: Plan;
    };
    const { handler } = await import('../../../functions/reconcile.js');
    const out = (await handler({ plan }, context)) as { ended: boolean; waitSeconds: number };
    expect(out.ended).toBe(true);
    // observe is 5 minutes from the start, one of which has passed: ~4 min more, then recovery (5 min)
    expect(out.waitSeconds).toBeGreaterThan(plan.recoveryWaitSeconds + 200);
    expect(fis.commandCalls(GetExperimentCommand)[0]?.args[0].input).toEqual({ id: 'EXP7' });
  });
});

describe('Load input errors', () => {
  it.each([
    [5, 'execution input: input: must be a mapping, got number 5'],
    [{}, 'execution input: experiment: is required'],
    [
      { experiment: 'checkout-instance-loss', dryRun: 'yes' },
      'execution input: dryRun: must be true or false, got "yes"',
    ],
    [
      { experiment: 'checkout-instance-loss', trigger: 'cron' },
      'execution input: trigger: must be one of "schedule", "manual", "pipeline", got "cron"',
    ],
  ])('say what is wrong in plain words: %j', async (input, message) => {
    const { handler } = await import('../../../functions/load.js');
    await expect(handler({ input, runId: 'run-9', startedAt: '2026-11-23T10:00:00.000Z' }, context)).rejects.toThrow(
      `${message}; expected {experiment, trigger?, gate?, allow?, dryRun?, gameday?}`,
    );
  });
});
