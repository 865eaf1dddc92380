import {
  FisClient,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListExperimentResolvedTargetsCommand,
  ListExperimentsCommand,
  StartExperimentCommand,
  StopExperimentCommand,
} from '@aws-sdk/client-fis';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ExternalTemplateInvalidError,
  FisFaultInjector,
  FisTemplates,
  TemplateIdRequiredError,
  toFaultState,
} from '../../../functions/aws/fis.js';
import { experiment } from './fixtures.js';

const T0 = Date.parse('2026-03-03T10:00:00Z');

describe('FisFaultInjector', () => {
  const fis = new FisClient({ region: 'eu-central-1' });
  const mock = mockClient(fis);
  beforeEach(() => mock.reset());

  it('starts the deployed template with the run id as client token and the run and experiment tags', async () => {
    mock.on(StartExperimentCommand).resolves({
      experiment: {
        id: 'EXP123',
        state: { status: 'initiating', reason: 'Experiment is initiating.' },
        startTime: new Date(T0),
      },
    });
    const state = await new FisFaultInjector(fis).start({
      runId: 'run-2026-03-03-abc',
      experiment: experiment(),
      templateId: 'EXTabc123',
    });

    expect(mock.commandCalls(StartExperimentCommand)[0]?.args[0].input).toEqual({
      experimentTemplateId: 'EXTabc123',
      clientToken: 'run-2026-03-03-abc',
      tags: { 'shaketable:run': 'run-2026-03-03-abc', 'shaketable:experiment': 'checkout-instance-loss' },
    });
    expect(state).toEqual({
      experimentId: 'EXP123',
      status: 'initiating',
      reason: 'Experiment is initiating.',
      startTime: T0,
    });
  });

  it('uses an external template id from the experiment file when the request has none', async () => {
    mock.on(StartExperimentCommand).resolves({ experiment: { id: 'EXP1', state: { status: 'pending' } } });
    await new FisFaultInjector(fis).start({
      runId: 'r1',
      experiment: experiment({ fault: { templateId: 'EXTexternal1', maxDuration: 'PT15M' } }),
    });
    expect(mock.commandCalls(StartExperimentCommand)[0]?.args[0].input.experimentTemplateId).toBe('EXTexternal1');
  });

  it('refuses to start without a template id, before calling FIS', async () => {
    const error = await new FisFaultInjector(fis).start({ runId: 'r1', experiment: experiment() }).catch((e) => e);
    expect(error).toBeInstanceOf(TemplateIdRequiredError);
    expect(error.name).toBe('Shaketable.TemplateIdRequired');
    expect(mock.commandCalls(StartExperimentCommand)).toHaveLength(0);
  });

  it('reads an experiment, keeping status strings this SDK does not know (cancelled)', async () => {
    mock.on(GetExperimentCommand, { id: 'EXP123' }).resolves({
      experiment: {
        id: 'EXP123',
        state: { status: 'cancelled' as never, reason: 'Experiment was cancelled.' },
        startTime: new Date(T0),
        endTime: new Date(T0 + 5_000),
        targets: {
          web: { resourceType: 'aws:ec2:instance', resourceArns: ['arn:aws:ec2:eu-central-1:1:instance/i-1'] },
        },
      },
    });
    const state = await new FisFaultInjector(fis).get('EXP123');
    expect(state).toEqual({
      experimentId: 'EXP123',
      status: 'cancelled',
      reason: 'Experiment was cancelled.',
      startTime: T0,
      endTime: T0 + 5_000,
      targets: ['arn:aws:ec2:eu-central-1:1:instance/i-1'],
    });
  });

  it('stops an experiment by id and returns the state FIS reports', async () => {
    mock.on(StopExperimentCommand).resolves({ experiment: { id: 'EXP123', state: { status: 'stopping' } } });
    const state = await new FisFaultInjector(fis).stop('EXP123');
    expect(mock.commandCalls(StopExperimentCommand)[0]?.args[0].input).toEqual({ id: 'EXP123' });
    expect(state).toEqual({ experimentId: 'EXP123', status: 'stopping' });
  });

  it('lets AWS errors through with their name', async () => {
    const notFound = Object.assign(new Error('Experiment EXP9 not found'), { name: 'ResourceNotFoundException' });
    mock.on(GetExperimentCommand).rejects(notFound);
    await expect(new FisFaultInjector(fis).get('EXP9')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('reads an external template back into the experiment file shape', async () => {
    mock.on(GetExperimentTemplateCommand, { id: 'EXTabc' }).resolves({
      experimentTemplate: {
        id: 'EXTabc',
        tags: { 'shaketable:experiment': 'checkout-instance-loss', team: 'checkout' },
        targets: {
          web: {
            resourceType: 'aws:ec2:instance',
            resourceTags: { app: 'checkout' },
            resourceArns: [],
            filters: [{ path: 'State.Name', values: ['running'] }],
            selectionMode: 'PERCENT(50)',
          },
        },
        actions: {
          stop: {
            actionId: 'aws:ec2:stop-instances',
            parameters: { startInstancesAfterDuration: 'PT5M' },
            targets: { Instances: 'web' },
          },
          wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT5M' }, startAfter: ['stop'] },
        },
        stopConditions: [
          { source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:eu-central-1:1:alarm:checkout-5xx-high' },
          { source: 'none' },
        ],
        experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'skip' },
      },
    });
    const external = await new FisTemplates(fis).describe('EXTabc');
    expect(external).toEqual({
      id: 'EXTabc',
      tags: { 'shaketable:experiment': 'checkout-instance-loss', team: 'checkout' },
      template: {
        targets: {
          web: {
            resourceType: 'aws:ec2:instance',
            resourceTags: { app: 'checkout' },
            filters: [{ path: 'State.Name', values: ['running'] }],
            selectionMode: 'PERCENT(50)',
          },
        },
        actions: {
          stop: {
            actionId: 'aws:ec2:stop-instances',
            parameters: { startInstancesAfterDuration: 'PT5M' },
            targets: { Instances: 'web' },
          },
          wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT5M' }, startAfter: ['stop'] },
        },
        stopConditions: ['arn:aws:cloudwatch:eu-central-1:1:alarm:checkout-5xx-high'],
        experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'skip' },
      },
    });
  });

  it('refuses an external template whose selection mode is not ALL, COUNT or PERCENT', async () => {
    mock.on(GetExperimentTemplateCommand).resolves({
      experimentTemplate: {
        id: 'EXTbad',
        targets: { web: { resourceType: 'aws:ec2:instance', selectionMode: 'SOME' } },
        actions: {},
      },
    });
    await expect(new FisTemplates(fis).describe('EXTbad')).rejects.toThrow(ExternalTemplateInvalidError);
  });

  it('finds the experiment a run started by its run tag, across ListExperiments pages', async () => {
    mock
      .on(ListExperimentsCommand, { nextToken: undefined })
      .resolves({
        nextToken: 'p2',
        experiments: [{ id: 'EXPother', tags: { 'shaketable:run': 'run-other' }, creationTime: new Date(T0) }],
      })
      .on(ListExperimentsCommand, { nextToken: 'p2' })
      .resolves({ experiments: [{ id: 'EXPmine', tags: { 'shaketable:run': 'run-1' }, creationTime: new Date(T0) }] });
    mock
      .on(GetExperimentCommand, { id: 'EXPmine' })
      .resolves({ experiment: { id: 'EXPmine', state: { status: 'running' } } });

    const injector = new FisFaultInjector(fis);
    await expect(injector.findByRun('run-1')).resolves.toEqual({ experimentId: 'EXPmine', status: 'running' });
    expect(mock.commandCalls(ListExperimentsCommand).map((c) => c.args[0].input)).toEqual([
      { maxResults: 100, nextToken: undefined },
      { maxResults: 100, nextToken: 'p2' },
    ]);
  });

  it('starts each step of a ramp as its own experiment: the step in the client token and a shaketable:step tag', async () => {
    mock.on(StartExperimentCommand).resolves({ experiment: { id: 'EXP2', state: { status: 'initiating' } } });
    await new FisFaultInjector(fis).start({
      runId: 'run-1',
      experiment: experiment(),
      templateId: 'EXTstep2',
      step: 2,
    });
    expect(mock.commandCalls(StartExperimentCommand)[0]?.args[0].input).toEqual({
      experimentTemplateId: 'EXTstep2',
      clientToken: 'run-1/step-2',
      tags: { 'shaketable:run': 'run-1', 'shaketable:experiment': 'checkout-instance-loss', 'shaketable:step': '2' },
    });
  });

  it('finds the experiment of a ramp step by its run and step tags, not an earlier step’s', async () => {
    mock.on(ListExperimentsCommand).resolves({
      experiments: [
        { id: 'EXPs1', tags: { 'shaketable:run': 'run-1', 'shaketable:step': '1' }, creationTime: new Date(T0) },
        { id: 'EXPs2', tags: { 'shaketable:run': 'run-1', 'shaketable:step': '2' }, creationTime: new Date(T0 - 1) },
      ],
    });
    mock
      .on(GetExperimentCommand, { id: 'EXPs2' })
      .resolves({ experiment: { id: 'EXPs2', state: { status: 'running' } } });
    await expect(new FisFaultInjector(fis).findByRun('run-1', 2)).resolves.toEqual({
      experimentId: 'EXPs2',
      status: 'running',
    });
    await expect(new FisFaultInjector(fis).findByRun('run-1', 3)).resolves.toBeUndefined();
  });

  it('finds nothing for a run that started no experiment', async () => {
    mock.on(ListExperimentsCommand).resolves({ experiments: [{ id: 'EXPx', tags: {} }] });
    await expect(new FisFaultInjector(fis).findByRun('run-404')).resolves.toBeUndefined();
    expect(mock.commandCalls(GetExperimentCommand)).toHaveLength(0);
  });

  it('reads what the experiment hit from ListExperimentResolvedTargets, every page, not the template echo', async () => {
    mock
      .on(ListExperimentResolvedTargetsCommand, { experimentId: 'EXP1', maxResults: 100, nextToken: undefined })
      .resolves({
        resolvedTargets: [
          {
            targetName: 'EC2-Instances',
            resourceType: 'aws:ec2:instance',
            targetInformation: { arn: 'arn:aws:ec2:us-east-1:1:instance/i-a1' },
          },
        ],
        nextToken: 'p2',
      })
      .on(ListExperimentResolvedTargetsCommand, { experimentId: 'EXP1', maxResults: 100, nextToken: 'p2' })
      .resolves({
        resolvedTargets: [
          {
            targetName: 'Pods',
            resourceType: 'aws:eks:pod',
            targetInformation: { podName: 'web-1', namespace: 'shop' },
          },
        ],
      });
    await expect(new FisFaultInjector(fis).resolvedTargets('EXP1')).resolves.toEqual([
      { target: 'EC2-Instances', resourceType: 'aws:ec2:instance', resource: 'arn:aws:ec2:us-east-1:1:instance/i-a1' },
      { target: 'Pods', resourceType: 'aws:eks:pod', resource: 'namespace=shop, podName=web-1' },
    ]);
    expect(mock.commandCalls(ListExperimentResolvedTargetsCommand)).toHaveLength(2);
  });

  it('refuses an FIS answer without a state rather than inventing one', () => {
    expect(() => toFaultState({ id: 'EXP1' })).toThrow(/no state/);
  });
});

describe('FIS experiment state', () => {
  it('hashes a run id longer than the 64 characters FIS takes as client token, the same way every time', async () => {
    const fis = new FisClient({ region: 'eu-central-1' });
    const mock = mockClient(fis);
    mock.on(StartExperimentCommand).resolves({ experiment: { id: 'EXP9', state: { status: 'initiating' } } });
    const runId = `pipeline-${'x'.repeat(70)}`;
    const injector = new FisFaultInjector(fis);
    await injector.start({ runId, experiment: experiment(), templateId: 'EXTabc123' });
    await injector.start({ runId, experiment: experiment(), templateId: 'EXTabc123' });
    const [first, second] = mock.commandCalls(StartExperimentCommand).map((c) => c.args[0].input);
    expect(first?.clientToken).toHaveLength(64);
    expect(first?.clientToken).toBe(second?.clientToken);
    expect(first?.tags?.['shaketable:run']).toBe(runId);
  });

  it('tells from the actions whether anything was injected, leaving out the observe wait', () => {
    const failedBeforeAny = toFaultState({
      id: 'EXP1',
      state: { status: 'failed', reason: 'Target resolution returned no resources' },
      actions: { kill: { state: { status: 'cancelled' } }, 'shaketable-observe': { state: { status: 'completed' } } },
    });
    expect(failedBeforeAny.actionsStarted).toBe(false);
    const failedAfter = toFaultState({
      id: 'EXP2',
      state: { status: 'failed' },
      actions: { kill: { state: { status: 'completed' } }, 'shaketable-observe': { state: { status: 'failed' } } },
      tags: { 'shaketable:run': 'run-1' },
    });
    expect(failedAfter.actionsStarted).toBe(true);
    expect(failedAfter.tags).toEqual({ 'shaketable:run': 'run-1' });
  });
});
