// The rules that read the FIS action table (core/fis), each on its own: the case it allows and the case it
// refuses, with the fix in the message. Sandbox files (provider: local) are left to local-faults.
import { describe, expect, it } from 'vitest';
import { actionDurationParameter } from '../../../core/experiment/rules/action-duration-parameter.js';
import { fisActionId } from '../../../core/experiment/rules/fis-action-id.js';
import { fisActionParameters } from '../../../core/experiment/rules/fis-action-parameters.js';
import { fisActionTargetKeys } from '../../../core/experiment/rules/fis-action-target-keys.js';
import { fisParameterValues } from '../../../core/experiment/rules/fis-parameter-values.js';
import { fisTargetParameters } from '../../../core/experiment/rules/fis-target-parameters.js';
import { longestActionChain, maxDuration } from '../../../core/experiment/rules/max-duration.js';
import { observeRange } from '../../../core/experiment/rules/observe-range.js';
import type { Rule } from '../../../core/experiment/rules/rule.js';

// biome-ignore lint/suspicious/noExplicitAny: raw YAML documents are untyped by nature
type Raw = any;

function aws(): Raw {
  return {
    version: 1,
    name: 'fis-rule-test',
    fault: {
      template: {
        targets: {
          web: { resourceType: 'aws:ec2:instance', resourceTags: { app: 'web' }, selectionMode: 'COUNT(1)' },
          fn: { resourceType: 'aws:lambda:function', resourceTags: { app: 'web' }, selectionMode: 'ALL' },
        },
        actions: {
          stop: {
            actionId: 'aws:ec2:stop-instances',
            parameters: { startInstancesAfterDuration: 'PT5M' },
            targets: { Instances: 'web' },
          },
          errors: {
            actionId: 'aws:lambda:invocation-error',
            parameters: { duration: 'PT5M', invocationPercentage: 50, preventExecution: true },
            targets: { Functions: 'fn' },
          },
        },
        stopConditions: ['web-5xx-high'],
      },
      observe: 'PT5M',
      maxDuration: 'PT15M',
    },
    steadyState: { period: 'PT1M' },
  };
}

function local(): Raw {
  return {
    provider: 'local',
    fault: {
      template: {
        targets: { web: { resourceType: 'local:instance', selectionMode: 'COUNT(1)' } },
        actions: { lag: { actionId: 'local:network:latency', parameters: { duration: 'PT10S', delay: 'x' } } },
      },
      observe: 'PT5S',
      maxDuration: 'PT30S',
    },
  };
}

function refused(rule: Rule, doc: Raw): Array<{ path: string; message: string }> {
  return rule.check(doc).map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('fis-action-id', () => {
  it('allows actions the FIS action table knows, and leaves sandbox faults alone', () => {
    expect(fisActionId.check(aws())).toEqual([]);
    expect(fisActionId.check(local())).toEqual([]);
  });
  it('refuses an unknown action with the closest one', () => {
    const doc = aws();
    doc.fault.template.actions.stop.actionId = 'aws:ec2:stop-instance';
    expect(refused(fisActionId, doc)).toEqual([
      {
        path: 'fault.template.actions.stop.actionId',
        message: 'unknown FIS action "aws:ec2:stop-instance" (did you mean aws:ec2:stop-instances?)',
      },
    ]);
  });
});

describe('fis-action-target-keys', () => {
  it('allows the target keys of each action aimed at targets of their type', () => {
    expect(fisActionTargetKeys.check(aws())).toEqual([]);
  });
  it('refuses a target key the action does not have, with the one it meant', () => {
    const doc = aws();
    doc.fault.template.actions.stop.targets = { Instance: 'web' };
    expect(refused(fisActionTargetKeys, doc)).toEqual([
      {
        path: 'fault.template.actions.stop.targets.Instance',
        message: 'aws:ec2:stop-instances has no target key "Instance" (did you mean Instances?)',
      },
    ]);
  });
  it('refuses a Lambda action aimed at an EC2 instance target', () => {
    const doc = aws();
    doc.fault.template.actions.errors.targets = { Functions: 'web' };
    expect(refused(fisActionTargetKeys, doc)[0]?.message).toBe(
      'aws:lambda:invocation-error acts on aws:lambda:function targets, but target "web" is aws:ec2:instance; point Functions at a target of that type',
    );
  });
  it('refuses an action without its required target, and targets on one that takes none', () => {
    const doc = aws();
    delete doc.fault.template.actions.stop.targets;
    doc.fault.template.actions.wait = {
      actionId: 'aws:fis:wait',
      parameters: { duration: 'PT1M' },
      targets: { Instances: 'web' },
    };
    expect(refused(fisActionTargetKeys, doc).map((i) => i.message)).toEqual([
      'aws:ec2:stop-instances needs a target: add targets: { Instances: <a target of type aws:ec2:instance> }',
      'aws:fis:wait takes no targets; remove "Instances"',
    ]);
  });
});

describe('fis-action-parameters', () => {
  it('allows the parameters each action takes', () => expect(fisActionParameters.check(aws())).toEqual([]));
  it('refuses a misspelt parameter with the one it meant', () => {
    const doc = aws();
    doc.fault.template.actions.errors.parameters = { duration: 'PT5M', invocationPercent: 50, preventExecution: true };
    expect(refused(fisActionParameters, doc)).toEqual([
      {
        path: 'fault.template.actions.errors.parameters.invocationPercent',
        message:
          'unknown parameter "invocationPercent" for aws:lambda:invocation-error (did you mean invocationPercentage?)',
      },
    ]);
  });
  it('refuses a parameter on an action that takes none', () => {
    const doc = aws();
    doc.fault.template.actions.kill = { actionId: 'aws:ec2:terminate-instances', parameters: { duration: 'PT1M' } };
    expect(refused(fisActionParameters, doc)[0]?.message).toBe(
      'aws:ec2:terminate-instances takes no parameters; remove "duration"',
    );
  });
  it('refuses a missing required parameter', () => {
    const doc = aws();
    delete doc.fault.template.actions.errors.parameters.preventExecution;
    expect(refused(fisActionParameters, doc)).toEqual([
      {
        path: 'fault.template.actions.errors.parameters.preventExecution',
        message: expect.stringContaining('aws:lambda:invocation-error needs parameter preventExecution'),
      },
    ]);
  });
});

describe('fis-parameter-values', () => {
  it('allows values of the right type within range (YAML numbers and booleans included)', () => {
    expect(fisParameterValues.check(aws())).toEqual([]);
  });
  it('refuses a value out of range, outside the enum, or of the wrong type, each with the bound', () => {
    const doc = aws();
    doc.fault.template.actions.errors.parameters = {
      duration: 'PT5M',
      invocationPercentage: 150,
      preventExecution: 'yes',
    };
    doc.fault.template.actions.api = {
      actionId: 'aws:fis:inject-api-throttle-error',
      parameters: { duration: 'PT13H', service: 'ec3', percentage: '1.5', operations: 'DescribeInstances' },
    };
    doc.fault.template.actions.ssm = {
      actionId: 'aws:ssm:start-automation-execution',
      parameters: { documentArn: 'arn', documentParameters: '[1]', maxDuration: 'PT1H' },
    };
    expect(
      refused(fisParameterValues, doc).map((i) => `${i.path.split('.').slice(3).join('.')}: ${i.message}`),
    ).toEqual([
      'errors.parameters.invocationPercentage: 150 is out of range; use a value from 1 to 100',
      'errors.parameters.preventExecution: "yes" must be true or false',
      'api.parameters.duration: PT13H is out of range; use a value from PT1M to PT12H',
      'api.parameters.service: "ec3" must be "ec2" or "kinesis"',
      'api.parameters.percentage: "1.5" must be a whole number from 1 to 100',
      'ssm.parameters.documentParameters: "[1]" must be a JSON object such as {"key": ["value"]}',
    ]);
  });
});

describe('fis-target-parameters', () => {
  it('allows the target parameters FIS accepts for the type', () => {
    const doc = aws();
    doc.fault.template.targets.pods = {
      resourceType: 'aws:eks:pod',
      parameters: { clusterIdentifier: 'c', namespace: 'n', selectorType: 'labelSelector', selectorValue: 'app=web' },
      selectionMode: 'ALL',
    };
    doc.fault.template.targets.cache = {
      resourceType: 'aws:elasticache:replicationgroup',
      parameters: { availabilityZoneIdentifier: 'use1-az1' },
      selectionMode: 'ALL',
    };
    expect(fisTargetParameters.check(doc)).toEqual([]);
  });
  it('refuses an unknown target parameter, a missing required one, and an unknown resource type', () => {
    const doc = aws();
    doc.fault.template.targets.cache = {
      resourceType: 'aws:elasticache:replicationgroup',
      parameters: { availabilityZone: 'use1-az1' },
      selectionMode: 'ALL',
    };
    doc.fault.template.targets.db = { resourceType: 'aws:rds:clusters', selectionMode: 'ALL' };
    expect(refused(fisTargetParameters, doc).map((i) => i.message)).toEqual([
      'unknown target parameter "availabilityZone" for aws:elasticache:replicationgroup (did you mean availabilityZoneIdentifier?)',
      expect.stringContaining(
        'a target of type aws:elasticache:replicationgroup needs parameter availabilityZoneIdentifier',
      ),
      'unknown FIS resource type "aws:rds:clusters" (did you mean aws:rds:cluster?)',
    ]);
  });
});

describe('observe-range', () => {
  it('allows observe from 1 minute to 12 hours, and seconds in the sandbox', () => {
    expect(observeRange.check(aws())).toEqual([]);
    expect(observeRange.check(local())).toEqual([]);
  });
  it('refuses an observe FIS would refuse as an aws:fis:wait duration', () => {
    const doc = aws();
    doc.fault.observe = 'PT30S';
    expect(refused(observeRange, doc)).toEqual([
      {
        path: 'fault.observe',
        message:
          'observe PT30S is outside PT1M to PT12H, the range of the aws:fis:wait action it becomes; set observe within it',
      },
    ]);
  });
});

describe('max-duration reads the fault-lengthening parameters', () => {
  it('allows a maxDuration that covers startInstancesAfterDuration', () => {
    expect(maxDuration.check(aws())).toEqual([]);
    expect(longestActionChain(aws())).toEqual({ seconds: 300, actions: ['stop'] });
  });
  it('refuses startInstancesAfterDuration PT1H with maxDuration PT10M', () => {
    const doc = aws();
    doc.fault.template.actions.stop.parameters.startInstancesAfterDuration = 'PT1H';
    doc.fault.maxDuration = 'PT10M';
    expect(refused(maxDuration, doc)).toEqual([
      {
        path: 'fault.maxDuration',
        message: 'maxDuration PT10M is shorter than the action chain stop (PT1H); raise it to at least that',
      },
    ]);
  });
  it('keeps reading `duration` for sandbox faults', () => {
    expect(longestActionChain(local())).toEqual({ seconds: 10, actions: ['lag'] });
  });
});

describe('action-duration-parameter reads the table for what is a duration', () => {
  it('refuses a startInstancesAfterDuration that is not ISO 8601', () => {
    const doc = aws();
    doc.fault.template.actions.stop.parameters.startInstancesAfterDuration = '1h';
    expect(refused(actionDurationParameter, doc)).toEqual([
      {
        path: 'fault.template.actions.stop.parameters.startInstancesAfterDuration',
        message: '"1h" must be an ISO 8601 duration such as PT5M',
      },
    ]);
  });
  it('allows ISO durations, and checks `duration` of sandbox faults', () => {
    expect(actionDurationParameter.check(aws())).toEqual([]);
    const doc = local();
    doc.fault.template.actions.lag.parameters.duration = '10s';
    expect(refused(actionDurationParameter, doc)[0]?.path).toBe('fault.template.actions.lag.parameters.duration');
  });
});
