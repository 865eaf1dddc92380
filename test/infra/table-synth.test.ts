// `synth` never finds what `validate` missed, for the FIS action table's rules (DESIGN §2 "FIS actions"): every
// fixture under test/fixtures/valid and two experiments per action of the table, built from the table (its target
// keys, each target's required parameters, and the action's required parameters, or all of them, at their lowest
// value), pass `shaketable validate` with no issue, then the catalog synth path with no throw, each FIS role holding
// what the table lists for its action and the parameters it sets; and every invalid fixture of the table's rules
// stops synth with validate's own lines.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { secondsToIso } from '../../core/duration.js';
import { formatIssue } from '../../core/experiment/issues.js';
import { validateSources } from '../../core/experiment/validate.js';
import { FIS_ACTIONS, type FisActionSpec, type FisParameterSpec } from '../../core/fis/actions.js';
import { FIS_RESOURCE_TYPES } from '../../core/fis/resource-types.js';
import { EXPERIMENT_TAG } from '../../core/run/lifecycle.js';
import { type TargetDefinition, uncountedReason } from '../../core/targets/pools.js';
import { CatalogInvalidError, readCatalog } from '../../infra/catalog-source.js';
import { FIXTURES, synthCatalog } from './synth.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

/** A value of the parameter's type inside its range: the lowest the table allows. */
function lowestValue(spec: FisParameterSpec): string {
  switch (spec.type) {
    case 'duration':
      return secondsToIso(spec.min ?? 60);
    case 'integer':
    case 'number':
      return String(spec.min ?? 1);
    case 'enum':
      return spec.values![0]!;
    case 'boolean':
      return 'true';
    case 'json':
      return '{}';
    case 'string':
      return 'x';
  }
}

/** One resource of the type, from its ARN pattern. */
function arnOf(resourceType: string): string {
  const values: Record<string, string> = { Partition: 'aws', Region: REGION, Account: ACCOUNT };
  return FIS_RESOURCE_TYPES[resourceType]!.arnPattern.replace(
    /\$\{(\w+)\}/g,
    (_, name: string) => values[name]!,
  ).replaceAll('*', 'chaos-1');
}

type Variant = 'required' | 'every';

/** The experiment's name: `required` sets the required parameters only, `every` sets all the action takes. */
const nameOf = (action: FisActionSpec, variant: Variant) =>
  `${variant === 'required' ? 'r' : 'e'}-${action.id.replaceAll(':', '-')}`.slice(0, 63);

/** The experiment file that uses `action` as the table describes it. */
function experimentFor(action: FisActionSpec, variant: Variant): Record<string, unknown> {
  const targets: Record<string, unknown> = {};
  const keys: Record<string, string> = {};
  for (const [key, spec] of Object.entries(action.targets)) {
    const resourceType = spec.resourceTypes[0]!;
    const typeSpec = FIS_RESOURCE_TYPES[resourceType]!;
    const parameters = Object.fromEntries(
      Object.entries(typeSpec.parameters)
        .filter(([, p]) => p.required)
        .map(([name]) => [name, 'x']),
    );
    const name = key.toLowerCase();
    keys[key] = name;
    targets[name] = {
      resourceType,
      ...(typeSpec.poolCountable ? { resourceArns: [arnOf(resourceType)] } : {}),
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
      selectionMode: 'ALL',
    };
  }
  const parameters = Object.fromEntries(
    Object.entries(action.parameters)
      .filter(([, p]) => p.required || variant === 'every')
      .map(([name, p]) => [name, lowestValue(p)]),
  );
  const uncounted = Object.entries(targets)
    .filter(([, t]) => uncountedReason(t as TargetDefinition) !== undefined)
    .map(([name]) => name);
  return {
    version: 1,
    name: nameOf(action, variant),
    description: `${action.id} as the FIS action table describes it`,
    owner: 'team-test',
    hypothesis: 'The service keeps its error rate under 1%.',
    fault: {
      template: {
        ...(Object.keys(targets).length > 0 ? { targets } : {}),
        actions: {
          fault: {
            actionId: action.id,
            ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
            ...(Object.keys(keys).length > 0 ? { targets: keys } : {}),
          },
        },
      },
      maxDuration: 'PT30M',
    },
    guardrails: { allowNoStopCondition: true, ...(uncounted.length > 0 ? { blastRadius: { uncounted } } : {}) },
    steadyState: {
      baseline: 'PT5M',
      period: 'PT1M',
      probes: { errors: { metric: { namespace: 'App', name: 'Errors', stat: 'Sum' }, tolerance: { max: 0 } } },
    },
    expect: { recovery: 'PT2M' },
  };
}

const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));

describe('validate and synth agree on the FIS action table', () => {
  // One catalog per variant: a CloudFormation stack holds at most 500 resources, four per experiment.
  const VARIANTS: Variant[] = ['required', 'every'];
  const dirs = Object.fromEntries(VARIANTS.map((v) => [v, mkdtempSync(join(tmpdir(), `shaketable-table-${v}-`))]));
  afterAll(() => {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  });
  const fixtures = yamlFiles(join(FIXTURES, 'valid'));
  for (const file of fixtures) writeFileSync(join(dirs.required!, `valid-${basename(file)}`), readFileSync(file));
  const actions = Object.values(FIS_ACTIONS);
  for (const action of actions) {
    for (const variant of VARIANTS) {
      writeFileSync(join(dirs[variant]!, `${nameOf(action, variant)}.yaml`), stringify(experimentFor(action, variant)));
    }
  }

  it('validates every valid fixture and two experiments per table action, together, with no issue', () => {
    const files = VARIANTS.flatMap((v) => yamlFiles(dirs[v]!));
    expect(files).toHaveLength(fixtures.length + VARIANTS.length * actions.length);
    const reports = validateSources(files.map((file) => ({ file, content: readFileSync(file) })));
    expect(reports.flatMap((r) => r.issues).map(formatIssue)).toEqual([]);
    expect(reports.every((r) => r.valid)).toBe(true);
  });

  it.each(VARIANTS)(
    'synthesizes the %s-parameter experiments, each FIS role holding what the table lists',
    (variant) => {
      const synthesized = synthCatalog(dirs[variant]!);
      try {
        const { Resources } = synthesized.json;
        const templates = Object.values(Resources).filter((r) => r.Type === 'AWS::FIS::ExperimentTemplate');
        // a file with `templateId` runs a template already in FIS: the stack creates none for it; a ramp, one per step
        const templatesOf = (file: string): number => {
          const fault = (parse(readFileSync(file, 'utf8')) as { fault: { templateId?: string; ramp?: { steps: [] } } })
            .fault;
          return fault.templateId !== undefined ? 0 : (fault.ramp?.steps.length ?? 1);
        };
        const fromFixtures = fixtures.reduce((sum, file) => sum + templatesOf(file), 0);
        expect(templates).toHaveLength((variant === 'required' ? fromFixtures : 0) + actions.length);
        const granted = (roleArn: unknown): Set<string> => {
          const role = (roleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
          const statements = Object.values(Resources)
            .filter((r) => r.Type === 'AWS::IAM::Policy')
            .filter((r) => JSON.stringify(r.Properties?.Roles).includes(`"${role}"`))
            .flatMap(
              (r) => (r.Properties!.PolicyDocument as { Statement: Array<{ Action: string | string[] }> }).Statement,
            );
          return new Set(statements.flatMap((s) => [s.Action].flat()));
        };
        for (const action of actions) {
          const name = nameOf(action, variant);
          const template = templates.find(
            (t) => (t.Properties?.Tags as Record<string, string> | undefined)?.[EXPERIMENT_TAG] === name,
          );
          expect(template, name).toBeDefined();
          const have = granted(template!.Properties?.RoleArn);
          // a permission for one parameter only comes with the experiment that sets it
          const set = variant === 'every' ? Object.keys(action.parameters) : [];
          const want = action.permissions.filter((p) => p.whenParameter === undefined || set.includes(p.whenParameter));
          const withheld = action.permissions.filter((p) => !want.includes(p)).flatMap((p) => p.actions);
          for (const iamAction of want.flatMap((p) => p.actions)) {
            expect(have.has(iamAction), `${name} ${iamAction}`).toBe(true);
          }
          for (const iamAction of withheld) expect(have.has(iamAction), `${name} ${iamAction}`).toBe(false);
        }
      } finally {
        synthesized.cleanup();
      }
    },
    300_000,
  );
});

describe('invalid files of the table\u2019s rules', () => {
  const invalid = yamlFiles(join(FIXTURES, 'invalid')).filter((f) =>
    /^(fis-|observe-|max-duration-below-restart)/.test(basename(f)),
  );

  it.each(invalid.map((file) => [basename(file), file]))('%s stops synth with validate\u2019s lines', (_, file) => {
    const dir = mkdtempSync(join(tmpdir(), 'shaketable-invalid-'));
    try {
      const copy = join(dir, basename(file));
      writeFileSync(copy, readFileSync(file));
      const [report] = validateSources([{ file: copy, content: readFileSync(copy) }]);
      expect(report?.valid).toBe(false);
      const lines = report!.issues.map(formatIssue);
      expect(lines.length).toBeGreaterThan(0);
      let error: unknown;
      try {
        readCatalog(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CatalogInvalidError);
      expect((error as Error).message.split('\n')).toEqual(lines);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
