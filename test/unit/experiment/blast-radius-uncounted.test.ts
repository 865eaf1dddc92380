// guardrails.blastRadius.uncounted: a target whose pool AWS APIs cannot count is a validation error, at the
// target's own line and with the fix, until the file opts it in; the opt-in lists only such targets.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../core/experiment/issues.js';
import { blastRadiusUncounted } from '../../../core/experiment/rules/blast-radius-uncounted.js';
import { parseExperimentText } from '../../../core/experiment/validate.js';

const root = new URL('../../../', import.meta.url).pathname;
const base = await readFile(`${root}experiments/checkout-instance-loss.yaml`, 'utf8');

const POD_TARGET = `    targets:
      pods:
        resourceType: aws:eks:pod
        parameters: { clusterIdentifier: checkout, namespace: shop, selectorType: labelSelector, selectorValue: app=checkout }
        selectionMode: COUNT(1)
    actions:
      terminate:
        actionId: aws:eks:pod-delete
        targets: { Pods: pods }
`;

/** The shipped experiment with its EC2 target swapped for EKS pods. */
function withPods(guardrail = ''): string {
  const text = base.replace(/ {4}targets:\n[\s\S]*?targets: \{ Instances: web \}\n/, POD_TARGET);
  return guardrail ? text.replace(/ {2}blastRadius: .*/, guardrail) : text;
}

const ruleIssues = (raw: unknown) => blastRadiusUncounted.check(raw).map((i) => `${i.path.join('.')}  ${i.message}`);
const template = (targets: Record<string, unknown>) => ({ fault: { template: { targets, actions: {} } } });

describe('blast-radius-uncounted', () => {
  it('refuses an EKS pod target at its own line, with the fix', () => {
    const lines = parseExperimentText(withPods(), 'x.yaml').issues.map(formatIssue);
    const line = withPods().split('\n').indexOf('      pods:') + 1;
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^x\\.yaml:${line}:\\d+ {2}fault\\.template\\.targets\\.pods {2}the blast radius cannot count this target's pool: .*Kubernetes.*; list "pods" in guardrails\\.blastRadius\\.uncounted to run it uncounted$`,
        ),
      ),
    );
  });

  it('accepts the same file once it lists the target in guardrails.blastRadius.uncounted', () => {
    const text = withPods('  blastRadius: { maxTargets: 1, uncounted: [pods] }');
    const issues = parseExperimentText(text, 'x.yaml').issues.map(formatIssue);
    expect(issues.filter((i) => /uncounted|blast radius/.test(i))).toEqual([]);
  });

  it('refuses a counted type whose filters its pool read cannot apply, and passes the same type without them', () => {
    const asg = { resourceType: 'aws:ec2:autoscaling-group', resourceTags: { a: 'b' }, selectionMode: 'ALL' };
    expect(ruleIssues(template({ asg: { ...asg, filters: [{ path: 'AvailabilityZones', values: ['x'] }] } }))).toEqual([
      expect.stringMatching(
        /^fault\.template\.targets\.asg {2}.*filters cannot be applied to aws:ec2:autoscaling-group/,
      ),
    ]);
    expect(ruleIssues(template({ asg }))).toEqual([]);
  });

  it('refuses an opt-in that names no target, or a target whose pool is counted', () => {
    const raw = {
      ...template({ web: { resourceType: 'aws:ec2:instance', selectionMode: 'ALL' } }),
      guardrails: { blastRadius: { uncounted: ['web', 'pod'] } },
    };
    expect(ruleIssues(raw)).toEqual([
      'guardrails.blastRadius.uncounted.0  the pool of "web" is counted, so it cannot be left uncounted; remove it from guardrails.blastRadius.uncounted',
      'guardrails.blastRadius.uncounted.1  "pod" is not a target of fault.template (known: web)',
    ]);
  });

  it('leaves a templateId file (targets read at preflight) and local files alone', () => {
    expect(
      ruleIssues({ fault: { templateId: 'EXTabc' }, guardrails: { blastRadius: { uncounted: ['any'] } } }),
    ).toEqual([]);
    expect(ruleIssues({ provider: 'local', ...template({ p: { resourceType: 'aws:eks:pod' } }) })).toEqual([]);
  });
});
