// Test helper: cfn-lint (the machine image has 1.51; .ci/run warns where it is absent) over a synthesized template,
// with the rules this project ignores by id and why.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function cfnLintVersion(): string | undefined {
  try {
    return execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' }).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** `cfn-lint --version`, or undefined where cfn-lint is not installed (the tests that need it are skipped). */
export const CFN_LINT = cfnLintVersion();
if (CFN_LINT === undefined) {
  console.warn('cfn-lint is not installed: the synthesized templates are not linted (pip install cfn-lint)');
}

/**
 * Rules ignored by id, with the reason. W3005 (DependsOn already enforced by a GetAtt): aws-cdk's NodejsFunction
 * depends on its role and the role's default policy, and references the role; the policy part is needed.
 */
export const IGNORED_RULES: Record<string, string> = {
  W3005: 'aws-cdk’s own DependsOn of each Lambda function and the state machine on their roles',
};

/** cfn-lint's findings on `template` (errors and warnings, `RuleId message`), the ignored rules left out. */
export function cfnLintFindings(template: unknown): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'shaketable-cfn-lint-'));
  try {
    const file = join(dir, 'Shaketable.template.json');
    writeFileSync(file, JSON.stringify(template, null, 1));
    let out = '[]';
    try {
      out = execFileSync(
        'cfn-lint',
        ['--format', 'json', '--ignore-checks', ...Object.keys(IGNORED_RULES), '--', file],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
    } catch (error) {
      // cfn-lint exits non-zero when it finds something; its findings are on stdout.
      const e = error as { stdout?: string };
      if (e.stdout === undefined || e.stdout === '') throw error;
      out = e.stdout;
    }
    return (JSON.parse(out) as Array<{ Rule: { Id: string }; Message: string }>).map(
      (f) => `${f.Rule.Id} ${f.Message}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
