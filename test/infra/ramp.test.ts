// CDK assertions for a ramp (fault.ramp): one FIS experiment template per step, each with the ramp target's
// selectionMode replaced by the step's and the same role and stop conditions; the Load parameter lists them in
// order; InjectFault may start each of them; cdk-nag stays clean.
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../infra/catalog-source.js';
import { FIXTURES, flat, iamStatements, synthExperiments } from './synth.js';

const STEPS = ['COUNT(1)', 'PERCENT(25)', 'PERCENT(50)'];

const catalog = readCatalog(join(FIXTURES, 'catalog-basic'));
const base = catalog.find((c) => c.experiment.name === 'checkout-instance-loss')!;
const ramp = {
  ...base,
  experiment: { ...base.experiment, fault: { ...base.experiment.fault, ramp: { target: 'web', steps: STEPS } } },
};
const s = synthExperiments(catalog.map((c) => (c === base ? ramp : c)));
afterAll(() => s.cleanup());

type Props = Record<string, unknown> & { Targets: Record<string, { SelectionMode: string }> };
const templates = Object.entries(s.json.Resources)
  .filter(([, r]) => r.Type === 'AWS::FIS::ExperimentTemplate')
  .map(([id, r]) => ({ id, props: r.Properties as Props }))
  .filter((t) => (t.props.Tags as Record<string, string>)['shaketable:experiment'] === 'checkout-instance-loss');

describe('a ramp in the CDK', () => {
  it('makes one FIS template per step, each selecting the step’s share of the ramp target', () => {
    expect(templates).toHaveLength(3);
    const bySteps = templates
      .map((t) => [(t.props.Tags as Record<string, string>)['shaketable:step'], t.props.Targets.web?.SelectionMode])
      .sort();
    expect(bySteps).toEqual([
      ['1', 'COUNT(1)'],
      ['2', 'PERCENT(25)'],
      ['3', 'PERCENT(50)'],
    ]);
  });

  it('gives every step’s template the same role, stop conditions, actions and logs', () => {
    const same = (key: string) => new Set(templates.map((t) => JSON.stringify(t.props[key])));
    for (const key of ['RoleArn', 'StopConditions', 'Actions', 'LogConfiguration', 'ExperimentOptions'])
      expect(same(key).size, key).toBe(1);
    // the compiled abortWhen alarms are stop conditions of every step
    expect((templates[0]!.props.StopConditions as unknown[]).length).toBe(5);
  });

  it('hands Load the step templates in order, the first as the templateId', () => {
    const parameter = Object.values(s.json.Resources).find(
      (r) =>
        r.Type === 'AWS::SSM::Parameter' && flat(r.Properties?.Name) === '/shaketable/catalog/checkout-instance-loss',
    );
    const value = flat(parameter?.Properties?.Value);
    const ids = ['Template', 'TemplateStep2', 'TemplateStep3'].map(
      (id) => templates.find((t) => t.id.includes(`checkoutinstanceloss${id}`))?.id,
    );
    expect(ids.every(Boolean)).toBe(true);
    expect(value).toContain(`"templateId":"<${ids[0]}>"`);
    expect(value).toContain(`"stepTemplateIds":["<${ids[0]}>","<${ids[1]}>","<${ids[2]}>"]`);
  });

  it('lets InjectFault alone start each step’s template', () => {
    const starts = iamStatements(s.json).filter(
      (st) => st.effect === 'Allow' && st.actions.includes('fis:StartExperiment'),
    );
    expect(starts.map((st) => st.role)).toEqual([expect.stringMatching(/^WorkflowInjectFaultRole/)]);
    for (const t of templates)
      expect(starts[0]!.resources).toContain(
        `arn:<AWS::Partition>:fis:<AWS::Region>:<AWS::AccountId>:experiment-template/<${t.id}>`,
      );
  });

  it('leaves cdk-nag AwsSolutions with nothing to report', () => {
    const report = new AwsSolutionsChecks().validateScope(s.stack);
    expect(
      report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`)),
    ).toEqual([]);
  });
});
