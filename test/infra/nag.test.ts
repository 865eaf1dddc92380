// cdk-nag's AwsSolutions pack over the whole stack: every finding is fixed or acknowledged with a reason.
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { catalogFiles, readCatalog } from '../../infra/catalog-source.js';
import { FIXTURES, synthCatalog } from './synth.js';

function violations(dir: string): string[] {
  const s = synthCatalog(dir);
  try {
    const report = new AwsSolutionsChecks().validateScope(s.stack);
    return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`));
  } finally {
    s.cleanup();
  }
}

describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged violation in a stack with owned and existing templates and schedules', () => {
    expect(violations(join(FIXTURES, 'catalog-basic'))).toEqual([]);
  });

  it('still reports a real finding (the check is live)', async () => {
    const { App, Stack } = await import('aws-cdk-lib');
    const sqs = await import('aws-cdk-lib/aws-sqs');
    const stack = new Stack(new App(), 'Probe');
    new sqs.Queue(stack, 'PlainQueue');
    const ids = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(ids).toContain('AwsSolutions-SQS4');
  });

  it('finds none either in the repository catalog experiments/', () => {
    const dir = join(import.meta.dirname, '..', '..', 'experiments');
    expect(catalogFiles(dir).length).toBeGreaterThan(0);
    expect(readCatalog(dir).length).toBeGreaterThan(0);
    expect(violations(dir)).toEqual([]);
  });
});
