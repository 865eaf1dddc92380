// Independent check on data no one here wrote: the public templates of aws-samples/fis-template-library, wrapped as
// experiments, validate, except where FIS itself would refuse a key (fis-template-library.synth.test.ts deploys them).
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../core/experiment/issues.js';
import { wrapLibrary } from './fis-template-library.js';

/** Templates whose refusal is right: FIS's CreateExperimentTemplate would refuse the same key. */
const EXPECTED_REFUSALS: Record<string, { path: string; reason: string; says: string }> = {
  'mysql-rds-loadtest-failover': {
    path: 'fault.template.actions.StopLoadTest.startAfterDelay',
    reason:
      'FIS actions have only actionId, description, parameters, targets and startAfter ' +
      '(API_CreateExperimentTemplateActionInput); a delay is an aws:fis:wait action in the chain',
    says: 'unknown key "startAfterDelay": FIS has no delay between actions: add an aws:fis:wait action',
  },
};

const { templates, wrapped, reports, validated } = wrapLibrary();

describe('the aws-samples/fis-template-library corpus', () => {
  it('holds every experiment template of the library, its placeholders substituted', () => {
    expect(templates.length).toBe(23);
    for (const t of templates) expect(JSON.stringify(t.template), t.file).not.toMatch(/<[A-Z][^>]*>|\{\{/);
  });

  it('validates every template FIS would accept, and refuses the others at the key FIS would refuse', () => {
    const outcome = reports.map((report, i) => ({
      name: wrapped[i]!.name,
      valid: report.valid,
      issues: report.issues.map(formatIssue),
      paths: report.issues.map((issue) => issue.path),
      lines: report.issues.map((issue) => issue.line),
      yaml: wrapped[i]!.yaml,
    }));
    for (const o of outcome) {
      const refusal = EXPECTED_REFUSALS[o.name];
      if (refusal) {
        expect({ name: o.name, valid: o.valid, paths: o.paths }).toEqual({
          name: o.name,
          valid: false,
          paths: [refusal.path],
        });
        // At the key's own line in the wrapper, as a user porting the sample would see it.
        const key = refusal.path.split('.').at(-1)!;
        const line = o.yaml.split('\n').findIndex((l) => l.trimStart().startsWith(`${key}:`)) + 1;
        expect(line).toBeGreaterThan(0);
        expect(o.lines).toEqual([line]);
        expect(o.issues[0]).toContain(refusal.says);
      } else {
        expect({ name: o.name, issues: o.issues }).toEqual({ name: o.name, issues: [] });
      }
    }
    expect(validated.length).toBe(templates.length - Object.keys(EXPECTED_REFUSALS).length);
    console.log(`fis-template-library corpus: ${validated.length} of ${templates.length} validated`);
  });
});
