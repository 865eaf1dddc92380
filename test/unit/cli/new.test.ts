// `shaketable new`: every starter written through the command validates with zero issues, the name is substituted,
// existing files are never overwritten, and bad names and unknown starters exit 2 with one line.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  editLines,
  registerNewCommand,
  STARTERS,
  STARTERS_DIR,
  type StarterName,
  writeStarter,
} from '../../../cli/commands/new.js';
import { UserError } from '../../../cli/errors.js';
import { validateFiles } from '../../../core/experiment/validate.js';
import { ExecutionInput } from '../../../core/steps/plan.js';
import { CatalogInvalidError } from '../../../infra/catalog-source.js';
import { CFN_LINT, cfnLintFindings } from '../../infra/cfn-lint.js';
import { synthCatalog } from '../../infra/synth.js';
import { runCommand } from './aws/harness.js';

const STARTER_NAMES = Object.keys(STARTERS) as StarterName[];

/** The FIS actions each starter promises (DESIGN §6 and the FIS actions reference), and its targets' resource types. */
const ACTIONS: Record<StarterName, { actionIds: string[]; resourceTypes: string[]; document?: string }> = {
  'ec2-instance-loss': { actionIds: ['aws:ec2:terminate-instances'], resourceTypes: ['aws:ec2:instance'] },
  'ec2-instance-ramp': { actionIds: ['aws:ec2:terminate-instances'], resourceTypes: ['aws:ec2:instance'] },
  'ecs-task-loss': { actionIds: ['aws:ecs:stop-task'], resourceTypes: ['aws:ecs:task'] },
  'rds-failover': { actionIds: ['aws:rds:failover-db-cluster'], resourceTypes: ['aws:rds:cluster'] },
  'az-network-disrupt': { actionIds: ['aws:network:disrupt-connectivity'], resourceTypes: ['aws:ec2:subnet'] },
  'cpu-stress': {
    actionIds: ['aws:ssm:send-command'],
    resourceTypes: ['aws:ec2:instance'],
    document: 'AWSFIS-Run-CPU-Stress',
  },
  'memory-stress': {
    actionIds: ['aws:ssm:send-command'],
    resourceTypes: ['aws:ec2:instance'],
    document: 'AWSFIS-Run-Memory-Stress',
  },
  'disk-fill': {
    actionIds: ['aws:ssm:send-command'],
    resourceTypes: ['aws:ec2:instance'],
    document: 'AWSFIS-Run-Disk-Fill',
  },
  'network-latency': {
    actionIds: ['aws:ssm:send-command'],
    resourceTypes: ['aws:ec2:instance'],
    document: 'AWSFIS-Run-Network-Latency',
  },
  'lambda-errors': { actionIds: ['aws:lambda:invocation-error'], resourceTypes: ['aws:lambda:function'] },
  // FIS's scenario (fis/latest/userguide/az-availability-scenario): the zonal actions, EBS pause in the recovery.
  'az-power-interruption': {
    actionIds: [
      'aws:ebs:pause-volume-io',
      'aws:ec2:api-insufficient-instance-capacity-error',
      'aws:ec2:asg-insufficient-instance-capacity-error',
      'aws:ec2:stop-instances',
      'aws:ec2:stop-instances',
      'aws:elasticache:replicationgroup-interrupt-az-power',
      'aws:network:disrupt-connectivity',
      'aws:rds:failover-db-cluster',
    ],
    resourceTypes: [
      'aws:ec2:autoscaling-group',
      'aws:ec2:ebs-volume',
      'aws:ec2:instance',
      'aws:ec2:instance',
      'aws:ec2:subnet',
      'aws:elasticache:replicationgroup',
      'aws:iam:role',
      'aws:rds:cluster',
    ],
  },
  'eks-pod-delete': { actionIds: ['aws:eks:pod-delete'], resourceTypes: ['aws:eks:pod'] },
  'dynamodb-replication-pause': {
    actionIds: ['aws:dynamodb:global-table-pause-replication'],
    resourceTypes: ['aws:dynamodb:global-table'],
  },
  'elasticache-az-power': {
    actionIds: ['aws:elasticache:replicationgroup-interrupt-az-power'],
    resourceTypes: ['aws:elasticache:replicationgroup'],
  },
  'ec2-api-throttle': { actionIds: ['aws:fis:inject-api-throttle-error'], resourceTypes: ['aws:iam:role'] },
  // The action has no targets: the runbook's own parameters say what it touches.
  'ssm-automation': { actionIds: ['aws:ssm:start-automation-execution'], resourceTypes: [] },
};

let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'shaketable-new-'));
});

afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** The command on a program of its own, run the way runCli runs it: exit code, stdout and stderr. */
function cli(args: string[]) {
  const noAws = () => {
    throw new Error('shaketable new needs no AWS session');
  };
  return runCommand([(program, context) => registerNewCommand(program, context)], args, noAws, cwd);
}

async function validate(paths: string[]) {
  return validateFiles(paths, (path) => readFile(resolve(cwd, path)));
}

describe('the starters', () => {
  it('are exactly the files in starters/', async () => {
    const files = (await readdir(STARTERS_DIR)).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(STARTER_NAMES.map((s) => `${s}.yaml`).sort());
  });

  it('each validate as they are shipped, first line the schema hint', async () => {
    const paths = STARTER_NAMES.map((s) => join(STARTERS_DIR, `${s}.yaml`));
    const reports = await validateFiles(paths, (path) => readFile(path));
    expect(reports.flatMap((r) => r.issues)).toEqual([]);
    for (const path of paths) {
      const [first] = (await readFile(path, 'utf8')).split('\n');
      expect(first).toBe('# yaml-language-server: $schema=../schema/experiment.schema.json');
    }
  });

  it.each(STARTER_NAMES)(
    '%s uses its real FIS action, a stop condition, guardrails and marked placeholders',
    async (starter) => {
      const { file } = await writeStarter({ name: `my-${starter}`, from: starter, cwd });
      const [report] = await validate([file]);
      const experiment = report!.experiment!;
      const template = experiment.fault.template!;
      const actions = Object.values(template.actions);
      const expected = ACTIONS[starter];
      expect(actions.map((a) => a.actionId).sort()).toEqual(expected.actionIds);
      expect(
        Object.values(template.targets)
          .map((t) => t.resourceType)
          .sort(),
      ).toEqual(expected.resourceTypes);
      if (expected.document) {
        expect(actions[0]!.parameters!.documentArn).toBe(
          `arn:aws:ssm:REPLACE-ME-region::document/${expected.document}`,
        );
        // FIS takes the SSM document's parameters as one JSON string of strings.
        const documentParameters = JSON.parse(actions[0]!.parameters!.documentParameters!) as Record<string, unknown>;
        expect(documentParameters.DurationSeconds).toBe('300');
        expect(Object.values(documentParameters).every((v) => typeof v === 'string')).toBe(true);
      }
      expect(template.stopConditions!.length).toBeGreaterThan(0);
      expect(experiment.guardrails?.window).toBeDefined();
      expect(experiment.guardrails?.alarms?.length ?? 0).toBeGreaterThan(0);
      // A blast radius needs a pool to count: the SSM runbook has no targets.
      if (expected.resourceTypes.length > 0) expect(experiment.guardrails?.blastRadius).toBeDefined();
      expect(Object.keys(experiment.steadyState.probes).length).toBeGreaterThanOrEqual(3);
      expect(experiment.owner).toBe('REPLACE-ME-team');
    },
  );

  it('gives the parameters FIS expects for the network, Lambda and ECS actions', async () => {
    const load = async (starter: StarterName) => {
      const { file } = await writeStarter({ name: `x-${starter}`, from: starter, cwd });
      return (await validate([file]))[0]!.experiment!.fault.template!;
    };
    const az = await load('az-network-disrupt');
    expect(az.actions.disrupt!.parameters).toEqual({ duration: 'PT5M', scope: 'availability-zone' });
    expect(az.targets.subnets!.parameters).toEqual({ availabilityZoneIdentifier: 'REPLACE-ME-az' });
    const lambda = await load('lambda-errors');
    expect(lambda.actions.invocation_errors!.parameters).toEqual({
      duration: 'PT5M',
      invocationPercentage: '10',
      preventExecution: 'true',
    });
    expect(lambda.actions.invocation_errors!.targets).toEqual({ Functions: 'function' });
    const ecs = await load('ecs-task-loss');
    expect(ecs.targets.tasks!.parameters).toEqual({ cluster: 'REPLACE-ME-cluster', service: 'REPLACE-ME-service' });
  });

  it('gives the ramp starter growing steps over its instances, the template written as the first step', async () => {
    const { file } = await writeStarter({ name: 'x-ramp', from: 'ec2-instance-ramp', cwd });
    const experiment = (await validate([file]))[0]!.experiment!;
    expect(experiment.fault.ramp).toEqual({ target: 'instances', steps: ['COUNT(1)', 'PERCENT(25)', 'PERCENT(50)'] });
    expect(experiment.fault.template!.targets.instances!.selectionMode).toBe('COUNT(1)');
    expect(experiment.guardrails?.blastRadius).toEqual({ maxPercent: 50 });
    // Raising a step above the cap is caught by validate, not at 10:00 on the day of the run.
    const text = await readFile(join(cwd, file), 'utf8');
    await writeFile(join(cwd, file), text.replace('PERCENT(50) ]', 'PERCENT(75) ]'));
    const [refused] = await validate([file]);
    expect(refused!.issues.map((i) => `${i.path}  ${i.message}`)).toEqual([
      'fault.ramp.steps[2]  PERCENT(75) hits 75% of the pool, above guardrails.blastRadius.maxPercent 50%; lower the step or raise maxPercent',
    ]);
  });

  it('gives the AZ power scenario its zone everywhere and the EBS pause after the instances restart', async () => {
    const { file } = await writeStarter({ name: 'x-az-power', from: 'az-power-interruption', cwd });
    const template = (await validate([file]))[0]!.experiment!.fault.template!;
    expect(template.actions['pause-ebs-io']!.startAfter).toEqual(['stop-instances', 'stop-asg-instances']);
    expect(template.actions['stop-instances']!.parameters).toEqual({
      startInstancesAfterDuration: 'PT30M',
      completeIfInstancesTerminated: 'true',
    });
    expect(template.actions['pause-instance-launches']!.parameters).toEqual({
      duration: 'PT30M',
      availabilityZoneIdentifiers: 'REPLACE-ME-az',
      percentage: '100',
    });
    expect(template.targets['aurora-clusters']!.parameters).toEqual({
      writerAvailabilityZoneIdentifiers: 'REPLACE-ME-az',
    });
    expect(template.targets['cache-groups']!.parameters).toEqual({ availabilityZoneIdentifier: 'REPLACE-ME-az' });
    expect(template.targets.volumes!.parameters).toEqual({ availabilityZoneIdentifier: 'REPLACE-ME-az' });
    // As in the FIS scenario: an action whose target matches nothing is skipped, not failed.
    expect(template.experimentOptions).toEqual({ emptyTargetResolutionMode: 'skip' });
  });

  it('synthesize with the real stack once edited, one FIS template each (a ramp one per step) with its action and the observe wait', async () => {
    // As shipped, synth refuses them (their REPLACE-ME placeholders must not reach FIS); edited, they deploy.
    expect(() => synthCatalog(STARTERS_DIR)).toThrow(CatalogInvalidError);
    const edited = await mkdtemp(join(tmpdir(), 'shaketable-starters-'));
    for (const starter of STARTER_NAMES) {
      const text = await readFile(join(STARTERS_DIR, `${starter}.yaml`), 'utf8');
      await writeFile(join(edited, `${starter}.yaml`), text.replaceAll('REPLACE-ME', 'edited'));
    }
    const synthesized = synthCatalog(edited);
    try {
      const templates = Object.values(synthesized.json.Resources).filter(
        (r) => r.Type === 'AWS::FIS::ExperimentTemplate',
      );
      const actionIds = templates.map((t) =>
        Object.values(t.Properties!.Actions as Record<string, { ActionId: string }>)
          .map((a) => a.ActionId)
          .sort(),
      );
      const steps = (starter: StarterName) => (starter === 'ec2-instance-ramp' ? 3 : 1);
      expect(actionIds.sort()).toEqual(
        STARTER_NAMES.flatMap((s) =>
          Array.from({ length: steps(s) }, () => [...ACTIONS[s].actionIds, 'aws:fis:wait'].sort()),
        ).sort(),
      );
      // The ramp starter's templates select one instance, then a quarter, then half of them.
      const rampModes = templates
        .filter((t) => (t.Properties!.Tags as Record<string, string>)['shaketable:experiment'] === 'ec2-instance-ramp')
        .map((t) => (t.Properties!.Targets as Record<string, { SelectionMode: string }>).instances!.SelectionMode);
      expect(rampModes.sort()).toEqual(['COUNT(1)', 'PERCENT(25)', 'PERCENT(50)']);
      if (CFN_LINT !== undefined) expect(cfnLintFindings(synthesized.json)).toEqual([]);
    } finally {
      synthesized.cleanup();
      await rm(edited, { recursive: true, force: true });
    }
  }, 300_000); // CDK synth of every starter in one stack; CI has 2 shared cores
});

describe('shaketable new', () => {
  it('writes every starter to experiments/<name>.yaml, where they validate together with zero issues', async () => {
    for (const starter of STARTER_NAMES) {
      const { code, stderr } = await cli(['new', `team-${starter}`, '--from', starter]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
    }
    const written = (await readdir(join(cwd, 'experiments'))).sort();
    expect(written).toEqual(STARTER_NAMES.map((s) => `team-${s}.yaml`).sort());
    const reports = await validate(written.map((f) => `experiments/${f}`));
    expect(reports.flatMap((r) => r.issues)).toEqual([]);
    expect(reports.every((r) => r.valid)).toBe(true);
  });

  it('substitutes the experiment name and nothing else', async () => {
    const { code } = await cli(['new', 'checkout-cpu', '--from', 'cpu-stress']);
    expect(code).toBe(0);
    const text = await readFile(join(cwd, 'experiments/checkout-cpu.yaml'), 'utf8');
    const starter = await readFile(join(STARTERS_DIR, 'cpu-stress.yaml'), 'utf8');
    expect(parse(text).name).toBe('checkout-cpu');
    const changed = text.split('\n').filter((line, i) => line !== starter.split('\n')[i]);
    expect(changed).toEqual([expect.stringMatching(/^# yaml-language-server: \$schema=/), 'name: checkout-cpu']);
  });

  it('quotes a name YAML would otherwise read as a number', async () => {
    const { file } = await writeStarter({ name: '2024', from: 'ec2-instance-loss', cwd });
    const text = await readFile(join(cwd, file), 'utf8');
    expect(text).toContain('name: "2024"\n');
    const [report] = await validate([file]);
    expect(report!.issues).toEqual([]);
    expect(report!.experiment!.name).toBe('2024');
  });

  it('points the schema hint at the shipped schema, wherever the file is written', async () => {
    const { code } = await cli(['new', 'deep-one', '--from', 'rds-failover', '--out', 'a/b/c/deep-one.yml']);
    expect(code).toBe(0);
    const path = join(cwd, 'a/b/c/deep-one.yml');
    const [first] = (await readFile(path, 'utf8')).split('\n');
    const ref = first!.replace('# yaml-language-server: $schema=', '');
    expect(ref).toMatch(/experiment\.schema\.json$/);
    expect(existsSync(resolve(dirname(path), ref))).toBe(true);
  });

  it('prints the path and every line to edit, as file:line', async () => {
    const { code, stdout } = await cli(['new', 'orders-tasks', '--from', 'ecs-task-loss']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('created experiments/orders-tasks.yaml from starter ecs-task-loss; it validates as written.');
    const text = await readFile(join(cwd, 'experiments/orders-tasks.yaml'), 'utf8');
    const edits = editLines(text);
    expect(edits.length).toBeGreaterThan(10);
    expect(lines[1]).toBe(
      `Edit these ${edits.length} lines for your system before you deploy it (synth refuses a REPLACE-ME left in it):`,
    );
    const listed = lines.slice(2, 2 + edits.length);
    for (const [i, edit] of edits.entries()) {
      expect(listed[i]).toMatch(new RegExp(`^  experiments/orders-tasks\\.yaml:${edit.line} +\\S`));
      expect(text.split('\n')[edit.line - 1]).toMatch(/REPLACE-ME|# EDIT:/);
    }
    expect(lines.at(-1)).toBe('Then check it with: npx shaketable validate --strict experiments/orders-tasks.yaml');
  });

  it('refuses to overwrite an existing file and leaves it untouched (exit 2)', async () => {
    await mkdir(join(cwd, 'experiments'));
    await writeFile(join(cwd, 'experiments/mine.yaml'), 'hand written\n');
    const { code, stdout, stderr } = await cli(['new', 'mine', '--from', 'disk-fill']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'error: experiments/mine.yaml already exists; choose another name or --out (npx shaketable new never overwrites a file)\n',
    );
    expect(await readFile(join(cwd, 'experiments/mine.yaml'), 'utf8')).toBe('hand written\n');
  });

  it('refuses a name the catalog already holds, wherever --out would write it (exit 2)', async () => {
    const first = await cli(['new', 'orders-cpu', '--from', 'cpu-stress']);
    expect(first.code).toBe(0);
    const again = await cli(['new', 'orders-cpu', '--from', 'disk-fill', '--out', 'experiments/staging/other.yaml']);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      'error: experiments/orders-cpu.yaml already holds experiment "orders-cpu"; experiment names are unique across experiments/: choose another name\n',
    );
    expect(existsSync(join(cwd, 'experiments/staging/other.yaml'))).toBe(false);
  });

  it('refuses an unknown starter, listing the starters (exit 2)', async () => {
    const { code, stderr } = await cli(['new', 'my-exp', '--from', 'cpu-burn']);
    expect(code).toBe(2);
    expect(stderr).toBe(`error: unknown starter "cpu-burn"; choose one of: ${STARTER_NAMES.join(', ')}\n`);
    expect(existsSync(join(cwd, 'experiments'))).toBe(false);
  });

  it.each(['ab', 'My-Exp', 'under_score', 'x'.repeat(65), '../escape'])(
    'refuses the bad name %j (exit 2)',
    async (name) => {
      const { code, stderr } = await cli(['new', name, '--from', 'cpu-stress']);
      expect(code).toBe(2);
      expect(stderr).toBe(
        `error: experiment name "${name}" must match [a-z0-9-]{3,64}: 3 to 64 lower-case letters, digits and hyphens\n`,
      );
      expect(existsSync(join(cwd, 'experiments'))).toBe(false);
    },
  );

  it('refuses an --out that the catalog would not read (exit 2)', async () => {
    const { code, stderr } = await cli(['new', 'my-exp', '--from', 'cpu-stress', '--out', 'my-exp.json']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      'error: --out my-exp.json must end in .yaml or .yml: the catalog and `npx shaketable validate` read only those',
    );
  });

  it('exits 2 with one line when --from is missing', async () => {
    const { code, stderr } = await cli(['new', 'my-exp']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe("error: required option '--from <starter>' not specified");
  });

  it('shows usage, every starter and an example with --help', async () => {
    const { code, stdout } = await cli(['new', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: shaketable new [options] <name>');
    for (const starter of STARTER_NAMES) expect(stdout).toMatch(new RegExp(`^  ${starter} +\\S`, 'm'));
    expect(stdout).toContain('\n  npx shaketable new checkout-cpu --from cpu-stress');
  });

  it('reports a file-system refusal as a user error', async () => {
    await writeFile(join(cwd, 'experiments'), 'a file where the folder should be');
    const error = await writeStarter({ name: 'my-exp', from: 'cpu-stress', cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'cannot write experiments/my-exp.yaml: a part of its folder path is a file',
    );
  });
});

describe('the pipeline examples', () => {
  const examples = new URL('../../../examples/', import.meta.url);
  const root = new URL('../../../', import.meta.url);

  it('start the CodePipeline Step Functions action with a gated execution input the workflow accepts', async () => {
    const stage = JSON.parse(await readFile(new URL('codepipeline-chaos-stage.json', examples), 'utf8'));
    const [action] = stage.Actions;
    expect(action.ActionTypeId).toEqual({ Category: 'Invoke', Owner: 'AWS', Provider: 'StepFunctions', Version: '1' });
    expect(action.Configuration.StateMachineArn).toEqual({ 'Fn::ImportValue': 'Shaketable-StateMachineArn' });
    expect(action.Configuration.InputType).toBe('Literal');
    // <prefix>-<36-character action execution id> is the execution name: at most 80 characters in Step Functions.
    expect(action.Configuration.ExecutionNamePrefix.length + 1 + 36).toBeLessThanOrEqual(80);
    const input = ExecutionInput.parse(JSON.parse(action.Configuration.Input));
    expect(input).toMatchObject({ trigger: 'pipeline', gate: true, allow: [] });
    const [report] = await validateFiles([`experiments/${input.experiment}.yaml`], (p) => readFile(new URL(p, root)));
    expect(report!.valid).toBe(true);
  });

  it('run the GitHub Actions job with OIDC credentials, --wait, the JUnit file and the step summary', async () => {
    const workflow = parse(await readFile(new URL('github-actions-chaos-stage.yml', examples), 'utf8'));
    expect(workflow.permissions['id-token']).toBe('write');
    const steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> = workflow.jobs.chaos.steps;
    expect(steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))).toBe(true);
    const run = steps.find((s) => s.run?.includes('shaketable run'))!.run!;
    for (const flag of ['--wait', '--allow degraded', '--junit junit.xml', '--summary "$GITHUB_STEP_SUMMARY"']) {
      expect(run).toContain(flag);
    }
    expect(steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report@'))?.with?.report_paths).toBe(
      'junit.xml',
    );
    const [report] = await validateFiles([`experiments/${workflow.jobs.chaos.env.EXPERIMENT}.yaml`], (p) =>
      readFile(new URL(p, root)),
    );
    expect(report!.valid).toBe(true);
  });
});
