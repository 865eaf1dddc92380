import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CatalogIdsNotFoundError,
  ParameterUnreadableError,
  readCatalogIds,
  SsmCatalogIds,
  SsmKillSwitch,
} from '../../../functions/aws/ssm.js';

const notFound = () => Object.assign(new Error('parameter not found'), { name: 'ParameterNotFound' });
const clock = { now: () => new Date('2026-03-03T10:00:00Z') };

describe('SsmKillSwitch', () => {
  const ssm = new SSMClient({ region: 'eu-central-1' });
  const mock = mockClient(ssm);
  beforeEach(() => mock.reset());

  it('reads the switch as on with its reason', async () => {
    mock.on(GetParameterCommand, { Name: '/shaketable/halt' }).resolves({
      Parameter: { Value: JSON.stringify({ on: true, reason: 'incident 42', at: '2026-03-03T09:00:00Z' }) },
    });
    await expect(new SsmKillSwitch(ssm).get()).resolves.toEqual({ on: true, reason: 'incident 42' });
  });

  it('reads a missing parameter as off', async () => {
    mock.on(GetParameterCommand).rejects(notFound());
    await expect(new SsmKillSwitch(ssm).get()).resolves.toEqual({ on: false });
  });

  it('refuses a parameter it cannot read rather than calling it off', async () => {
    mock.on(GetParameterCommand).resolves({ Parameter: { Value: 'yes please' } });
    await expect(new SsmKillSwitch(ssm).get()).rejects.toThrow(ParameterUnreadableError);
  });

  it('lets other SSM errors through', async () => {
    mock.on(GetParameterCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(new SsmKillSwitch(ssm).get()).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('writes {on, reason, at} over the parameter', async () => {
    mock.on(PutParameterCommand).resolves({ Version: 2 });
    await new SsmKillSwitch(ssm, '/custom/halt', clock).set(true, 'game day over');
    expect(mock.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/custom/halt',
      Value: JSON.stringify({ on: true, at: '2026-03-03T10:00:00.000Z', reason: 'game day over' }),
      Type: 'String',
      Overwrite: true,
    });
  });
});

describe('catalog ids', () => {
  const ssm = new SSMClient({ region: 'eu-central-1' });
  const mock = mockClient(ssm);
  beforeEach(() => mock.reset());

  it('reads /shaketable/catalog/<name>', async () => {
    mock.on(GetParameterCommand, { Name: '/shaketable/catalog/checkout-instance-loss' }).resolves({
      Parameter: { Value: JSON.stringify({ templateId: 'EXTabc', compiledAlarms: ['shaketable-checkout-errors'] }) },
    });
    await expect(readCatalogIds(ssm, 'checkout-instance-loss')).resolves.toEqual({
      templateId: 'EXTabc',
      compiledAlarms: ['shaketable-checkout-errors'],
    });
  });

  it('names the experiment and parameter when the experiment is not deployed', async () => {
    mock.on(GetParameterCommand).rejects(notFound());
    const error = await new SsmCatalogIds(ssm, '/shaketable/catalog/').read('ghost').catch((e) => e);
    expect(error).toBeInstanceOf(CatalogIdsNotFoundError);
    expect(error.name).toBe('Shaketable.CatalogIdsNotFound');
    expect(error.message).toContain('/shaketable/catalog/ghost');
  });
});
