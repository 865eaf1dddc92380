// `shaketable actions [action] [--json]`: every action of the FIS action table (core/fis) with its targets,
// parameters and permissions, the same table as JSON, one action or one family, and one line for an unknown one.
import { describe, expect, it } from 'vitest';
import { describeParameter } from '../../../cli/commands/actions.js';
import { runCli } from '../../../cli/main.js';
import { FIS_ACTIONS, type FisActionSpec } from '../../../core/fis/actions.js';
import { FIS_RESOURCE_TYPES, type FisResourceTypeSpec } from '../../../core/fis/resource-types.js';

async function actions(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['actions', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const IDS = Object.keys(FIS_ACTIONS).sort();

describe('shaketable actions', () => {
  it('lists every action of the table, sorted, with its targets, parameters and permissions', async () => {
    const { code, stdout, stderr } = await actions();
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const headings = stdout.split('\n').filter((line) => line.startsWith('aws:'));
    expect(headings.map((line) => line.split('  ')[0])).toEqual(IDS);
    expect(IDS.length).toBeGreaterThanOrEqual(51);
    expect(stdout.endsWith(`\n${IDS.length} FIS actions\n`)).toBe(true);
    // every block says what the action acts on and what it takes, even when that is nothing
    const blocks = stdout.split('\n\n').slice(0, -1);
    expect(blocks).toHaveLength(IDS.length);
    for (const block of blocks) {
      expect(block).toMatch(/\n {2}targets {6}/);
      expect(block).toMatch(/\n {2}parameters {3}/);
      expect(block).toMatch(/\n {2}permissions {2}/);
    }
  });

  it('shows one action: resource types, ranges, the lengthening parameter, a conditional permission, KMS', async () => {
    const { code, stdout } = await actions('aws:ec2:stop-instances');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`aws:ec2:stop-instances  ${FIS_ACTIONS['aws:ec2:stop-instances']?.description}`);
    expect(lines[1]).toBe('  targets      Instances: aws:ec2:instance');
    expect(lines[2]).toMatch(
      /^ {2}parameters {3}startInstancesAfterDuration {2}optional duration PT1M-PT12H, lengthens the fault: /,
    );
    expect(lines[3]).toMatch(/^ {15}completeIfInstancesTerminated {2}optional boolean: /);
    expect(lines[4]).toBe('  permissions  ec2:StopInstances, ec2:StartInstances on the targets');
    expect(stdout).toMatch(/kms:CreateGrant on arn:\$\{Partition\}:kms:.*\(when startInstancesAfterDuration is set\)/);
    expect(stdout).toContain('  notes        restarting instances with encrypted volumes needs kms:CreateGrant');
    expect(stdout.endsWith('\n1 FIS action\n')).toBe(true);
  });

  it('says when an action takes no targets and no parameters, and notes tag resolution', async () => {
    const assert = await actions('aws:cloudwatch:assert-alarm-state');
    expect(assert.stdout).toContain('  targets      none\n');
    const fail = await actions('aws:rds:failover-db-cluster');
    expect(fail.stdout).toContain('  parameters   none\n');
    expect(fail.stdout).toContain('targets chosen by tags are resolved with tag:GetResources');
  });

  it('names the target parameters of each resource type, and a pool AWS APIs cannot count', async () => {
    const { stdout } = await actions('aws:eks:pod-delete');
    const lines = stdout.split('\n');
    expect(lines[1]).toBe('  targets      Pods: aws:eks:pod');
    expect(lines[2]).toMatch(
      /^ {15}aws:eks:pod target parameters: .*clusterIdentifier \(required\), namespace \(required\)/,
    );
    expect(lines[3]).toBe(
      '               aws:eks:pod: AWS APIs cannot count its pool; list the target in guardrails.blastRadius.uncounted',
    );
  });

  it('lists a family by its prefix', async () => {
    const { code, stdout } = await actions('aws:ecs');
    expect(code).toBe(0);
    const ecs = IDS.filter((id) => id.startsWith('aws:ecs:'));
    expect(ecs.length).toBeGreaterThan(3);
    const headings = stdout.split('\n').filter((line) => line.startsWith('aws:'));
    expect(headings.map((line) => line.split('  ')[0])).toEqual(ecs);
  });

  it('prints the table itself as JSON, with the resource types its actions target', async () => {
    const { code, stdout } = await actions('--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { actions: FisActionSpec[]; resourceTypes: FisResourceTypeSpec[] };
    expect(json.actions.map((a) => a.id)).toEqual(IDS);
    for (const action of json.actions) expect(action).toEqual(FIS_ACTIONS[action.id]);
    expect(json.resourceTypes.map((t) => t.type).sort()).toEqual(Object.keys(FIS_RESOURCE_TYPES).sort());
    const pod = json.resourceTypes.find((t) => t.type === 'aws:eks:pod');
    expect(pod?.poolCountable).toBe(false);
    expect(Object.keys(pod?.parameters ?? {})).toContain('clusterIdentifier');
  });

  it('keeps --json to the chosen actions and their resource types', async () => {
    const json = JSON.parse((await actions('aws:eks:pod-delete', '--json')).stdout) as {
      actions: FisActionSpec[];
      resourceTypes: FisResourceTypeSpec[];
    };
    expect(json.actions.map((a) => a.id)).toEqual(['aws:eks:pod-delete']);
    expect(json.resourceTypes.map((t) => t.type)).toEqual(['aws:eks:pod']);
  });

  it('refuses an unknown action with one line naming the closest, exit 2', async () => {
    const { code, stdout, stderr } = await actions('aws:ec2:stop-instance');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'error: unknown FIS action "aws:ec2:stop-instance" (did you mean aws:ec2:stop-instances?); run `shaketable actions` for the list\n',
    );
  });

  it('shows examples in --help', async () => {
    const { code, stdout } = await actions('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Examples:\n  npx shaketable actions\n');
    expect(stdout).toContain('npx shaketable actions aws:eks --json');
  });
});

describe('describeParameter', () => {
  it('phrases types and bounds the way the table holds them', () => {
    expect(describeParameter({ required: true, type: 'integer', min: 1, max: 100, description: '' })).toBe(
      'required integer 1-100',
    );
    expect(describeParameter({ required: false, type: 'integer', min: 0, description: '' })).toBe(
      'optional integer >= 0',
    );
    expect(describeParameter({ required: false, type: 'duration', max: 3600, description: '' })).toBe(
      'optional duration <= PT1H',
    );
    expect(describeParameter({ required: true, type: 'enum', values: ['tcp', 'udp'], description: '' })).toBe(
      'required one of tcp, udp',
    );
    expect(
      describeParameter({
        required: true,
        type: 'duration',
        min: 60,
        max: 43200,
        lengthensFault: true,
        description: '',
      }),
    ).toBe('required duration PT1M-PT12H, lengthens the fault');
  });
});
