// The validated templates of aws-samples/fis-template-library synthesize as ONE catalog with the app's own catalog
// code, each FIS template carrying the sample's targets and actions as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBSERVE_ACTION } from '../../core/experiment/patterns.js';
import { EXPERIMENT_TAG } from '../../core/guardrails/template-tag.js';
import { type Synthesized, synthCatalog } from '../infra/synth.js';
import { OWNED_BY_SHAKETABLE, type Wrapped, wrapLibrary, writeCatalog } from './fis-template-library.js';

const { templates, wrapped, validated } = wrapLibrary();

describe('the corpus as one deployed catalog', () => {
  let synthesized: Synthesized;
  let catalog: ReturnType<typeof writeCatalog>;
  beforeAll(() => {
    catalog = writeCatalog(validated);
    synthesized = synthCatalog(catalog.dir);
  }, 180_000);
  afterAll(() => {
    synthesized?.cleanup();
    catalog?.remove();
  });

  const fisTemplateOf = (w: Wrapped) => {
    const found = Object.values(synthesized.json.Resources).filter(
      (r) =>
        r.Type === 'AWS::FIS::ExperimentTemplate' &&
        (r.Properties?.Tags as Record<string, string> | undefined)?.[EXPERIMENT_TAG] === w.name,
    );
    expect(found, w.name).toHaveLength(1);
    return found[0]!.Properties as Record<string, Record<string, Record<string, unknown>>>;
  };

  it('synthesizes every validated template with its own targets and actions, as FIS would be given them', () => {
    let count = 0;
    for (const w of validated) {
      const source = templates.find((t) => t.name === w.name)!.template as Record<string, Record<string, unknown>>;
      const properties = fisTemplateOf(w);
      const { [OBSERVE_ACTION]: observe, ...actions } = properties.Actions!;
      expect(observe, w.name).toMatchObject({ ActionId: 'aws:fis:wait' });
      expect(Object.keys(actions).sort(), w.name).toEqual(Object.keys(source.actions!).sort());
      for (const [name, action] of Object.entries(source.actions as Record<string, Record<string, unknown>>)) {
        const deployed = actions[name] as Record<string, unknown>;
        expect(deployed.ActionId, `${w.name} ${name}`).toBe(action.actionId);
        expect(deployed.Parameters ?? {}, `${w.name} ${name}`).toEqual(action.parameters ?? {});
        expect(deployed.Targets ?? {}, `${w.name} ${name}`).toEqual(action.targets ?? {});
        expect(deployed.StartAfter, `${w.name} ${name}`).toEqual(action.startAfter);
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
      count++;
    }
    expect(count).toBe(validated.length);
    console.log(`fis-template-library corpus: ${count} of ${validated.length} validated templates synthesized`);
  });

  it('gives every template the role, log and report configuration the sample leaves to its reader', () => {
    const owned = new Set(wrapped.flatMap((w) => w.ownedKeys));
    expect([...owned].every((key) => Object.hasOwn(OWNED_BY_SHAKETABLE, key))).toBe(true);
    for (const w of validated) {
      const properties = fisTemplateOf(w);
      expect(properties.RoleArn, w.name).toBeDefined();
      expect(properties.LogConfiguration, w.name).toMatchObject({ LogSchemaVersion: 2 });
      expect(properties.ExperimentReportConfiguration, w.name).toBeDefined();
    }
  });
});
