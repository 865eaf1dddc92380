// guardrails.requires (DESIGN §9 "Promotion"): its shape, and that a catalog's requirements name its experiments.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../core/experiment/issues.js';
import { parseExperimentText, validateSources } from '../../../core/experiment/validate.js';

const root = new URL('../../../', import.meta.url).pathname;
const base = await readFile(`${root}experiments/local/local-instance-loss.yaml`, 'utf8');

/** The base experiment as `name`, requiring `requirement` (a YAML flow mapping). */
function requiring(name: string, requirement: string): string {
  return base
    .replace('name: local-instance-loss', `name: ${name}`)
    .replace('guardrails:\n', `guardrails:\n  requires:\n    - ${requirement}\n`);
}

const staging = base.replace('name: local-instance-loss', 'name: checkout-staging');

describe('guardrails.requires: shape', () => {
  it('accepts an experiment, a verdict and a duration in days', () => {
    const report = parseExperimentText(
      requiring('checkout-prod', '{ experiment: checkout-staging, verdict: PASSED, within: P7D }'),
      'p.yaml',
    );
    expect(report.issues.map(formatIssue)).toEqual([]);
    expect(report.experiment?.guardrails?.requires).toEqual([
      { experiment: 'checkout-staging', verdict: 'PASSED', within: 'P7D' },
    ]);
  });

  it('refuses an unknown verdict and a zero duration, each at its line', () => {
    const issues = parseExperimentText(
      requiring('checkout-prod', '{ experiment: checkout-staging, verdict: GREEN, within: P0D }'),
      'p.yaml',
    ).issues.map(formatIssue);
    expect(issues).toEqual([
      expect.stringMatching(/^p\.yaml:27:\d+ {2}guardrails\.requires\[0\]\.verdict {2}.*PASSED/),
      expect.stringMatching(/^p\.yaml:27:\d+ {2}guardrails\.requires\[0\]\.within {2}must be a positive duration/),
    ]);
  });

  it('refuses a duration that is not ISO 8601', () => {
    const issues = parseExperimentText(
      requiring('checkout-prod', '{ experiment: checkout-staging, verdict: PASSED, within: 7d }'),
      'p.yaml',
    ).issues.map(formatIssue);
    expect(issues).toEqual([expect.stringContaining('guardrails.requires[0].within  must be an ISO 8601 duration')]);
  });

  it('does not check a single file’s requirement against other files', () => {
    const [report] = validateSources([
      {
        file: 'p.yaml',
        content: requiring('checkout-prod', '{ experiment: checkout-staging, verdict: PASSED, within: P7D }'),
      },
    ]);
    expect(report!.valid).toBe(true);
  });
});

describe('guardrails.requires: in a catalog', () => {
  it('accepts a requirement naming an experiment of the catalog', () => {
    const reports = validateSources(
      [
        { file: 's.yaml', content: staging },
        {
          file: 'p.yaml',
          content: requiring('checkout-prod', '{ experiment: checkout-staging, verdict: PASSED, within: P7D }'),
        },
      ],
      { catalog: true },
    );
    expect(reports.flatMap((r) => r.issues.map(formatIssue))).toEqual([]);
  });

  it('refuses a requirement naming an experiment not in the catalog, at its line, with the close name', () => {
    const reports = validateSources(
      [
        { file: 's.yaml', content: staging },
        {
          file: 'p.yaml',
          content: requiring('checkout-prod', '{ experiment: checkout-stagin, verdict: PASSED, within: P7D }'),
        },
      ],
      { catalog: true },
    );
    expect(reports.map((r) => r.valid)).toEqual([true, false]);
    expect(reports[1]!.experiment).toBeUndefined();
    expect(reports[1]!.issues.map(formatIssue)).toEqual([
      'p.yaml:27:9  guardrails.requires[0].experiment  "checkout-stagin" is not an experiment of this catalog; did you mean "checkout-staging"?',
    ]);
  });
});

describe('change freezes: AWS only', () => {
  it('refuses changeCalendar and deployments in a provider: local file, with the fix', () => {
    const text = base.replace(
      'guardrails:\n',
      'guardrails:\n  changeCalendar: production-freeze\n  deployments: { stacks: [ checkout-prod ] }\n',
    );
    expect(parseExperimentText(text, 'l.yaml').issues.map(formatIssue)).toEqual([
      'l.yaml:26:3  guardrails.changeCalendar  changeCalendar is AWS only (the sandbox has no SSM Change Calendar); remove it, or use provider: aws',
      'l.yaml:27:3  guardrails.deployments  deployments is AWS only (the sandbox has no CloudFormation stacks); remove it, or use provider: aws',
    ]);
  });

  it('accepts them with provider: aws', () => {
    const text = base
      .replace('provider: local', 'provider: aws')
      .replace(/^local:\n(?: {2}.*\n)+/m, '')
      .replace(
        'guardrails:\n',
        'guardrails:\n  changeCalendar: production-freeze\n  deployments: { stacks: [ checkout-prod ] }\n',
      );
    const issues = parseExperimentText(text, 'a.yaml').issues.map(formatIssue);
    expect(issues.filter((i) => /changeCalendar|deployments/.test(i))).toEqual([]);
  });
});
