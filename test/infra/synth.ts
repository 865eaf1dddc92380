// Test helper: builds the shaketable stack from a fixture catalog without bundling (no esbuild run), so the
// assertions look at the template the app would deploy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readCatalog } from '../../infra/catalog-source.js';
import type { CatalogExperiment } from '../../infra/constructs/catalog.js';
import { ShaketableStack } from '../../infra/stack.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export interface Synthesized {
  app: App;
  stack: ShaketableStack;
  template: Template;
  json: Record<string, unknown> & { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  cleanup(): void;
}

/** Synthesizes the stack for `catalogDir` into a temporary cloud assembly, skipping Lambda bundling. */
export function synthCatalog(catalogDir: string, stackName = 'Shaketable'): Synthesized {
  return synthExperiments(readCatalog(catalogDir), stackName);
}

/** Synthesizes the stack for experiments already read (and validated) by `readCatalog`, skipping Lambda bundling. */
export function synthExperiments(experiments: CatalogExperiment[], stackName = 'Shaketable'): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'shaketable-cdk-'));
  const app = new App({
    outdir,
    context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:validateAgainstDefaultRules': true },
  });
  const stack = new ShaketableStack(app, stackName, { stackName, experiments });
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    template,
    json: template.toJSON() as Synthesized['json'],
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** A CloudFormation value as one readable string: `{Ref: X}` → `<X>`, `{Fn::GetAtt: [X, Arn]}` → `<X.Arn>`, joins flattened. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('Ref' in v) return `<${String(v.Ref)}>`;
    if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(flat).join(sep);
    }
  }
  return JSON.stringify(value);
}

export interface Statement {
  /** logical id of the role the statement belongs to */
  role: string;
  effect: string;
  actions: string[];
  resources: string[];
  condition?: unknown;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Every identity-policy statement of the template (role inline policies and AWS::IAM::Policy), per role. */
export function iamStatements(json: Synthesized['json']): Statement[] {
  const out: Statement[] = [];
  const add = (role: string, doc: { Statement?: Array<Record<string, unknown>> }) => {
    for (const s of doc.Statement ?? []) {
      out.push({
        role,
        effect: String(s.Effect),
        actions: list(s.Action).map(String),
        resources: list(s.Resource).map(flat),
        ...(s.Condition ? { condition: s.Condition } : {}),
      });
    }
  };
  for (const [id, r] of Object.entries(json.Resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Policy') {
      for (const role of list(p.Roles)) add(flat(role).replace(/[<>]/g, ''), p.PolicyDocument as never);
    }
    if (r.Type === 'AWS::IAM::Role') {
      for (const policy of list(p.Policies) as Array<{ PolicyDocument: never }>) add(id, policy.PolicyDocument);
    }
  }
  return out;
}

/** Logical ids of the resources of `type` whose logical id starts with `prefix`. */
export function ids(json: Synthesized['json'], type: string, prefix = ''): string[] {
  return Object.entries(json.Resources)
    .filter(([id, r]) => r.Type === type && id.startsWith(prefix))
    .map(([id]) => id);
}
