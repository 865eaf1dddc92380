// A catalog too large for one CloudFormation stack (500 resources, 1 MB template) is refused by `validate <folder>`
// and by the CDK app with one line, and what validate accepts synthesizes within both limits: the estimates of
// core/experiment/stack-limits.ts are checked here against synthesized stacks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import type { Experiment } from '../../core/experiment/schema.js';
import {
  catalogFootprint,
  experimentResources,
  experimentTemplateBytes,
  MAX_STACK_RESOURCES,
  MAX_TEMPLATE_BYTES,
  ORCHESTRATOR_BYTES,
  ORCHESTRATOR_RESOURCES,
  stackLimitExceeded,
} from '../../core/experiment/stack-limits.js';
import { validateSources } from '../../core/experiment/validate.js';
import { synthExperiments } from './synth.js';

const ROOT = join(import.meta.dirname, '..', '..');
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const bytesOf = (json: unknown) => JSON.stringify(json).length;

/** `count` copies of `file` under distinct names, as `{ file, content }` sources. */
function copies(file: string, count: number) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const name = /^name: (\S+)$/m.exec(text)![1]!;
  return Array.from({ length: count }, (_, i) => {
    const copy = `${name.slice(0, 50)}-${String(i).padStart(3, '0')}`;
    return { file: `${copy}.yaml`, content: text.replace(`name: ${name}`, `name: ${copy}`) };
  });
}

function experimentsOf(sources: { file: string; content: string }[]) {
  const reports = validateSources(sources);
  expect(reports.flatMap((r) => r.issues)).toEqual([]);
  return reports.map((r) => ({ file: r.file, experiment: r.experiment as Experiment }));
}

/** A catalog folder of `count` copies of checkout-instance-loss (6 resources each: template, role, policy, ids, alarm, schedule). */
function catalogFolder(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'shaketable-big-catalog-'));
  temps.push(dir);
  for (const { file, content } of copies('experiments/checkout-instance-loss.yaml', count)) {
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

describe('the stack limits of a catalog', () => {
  /** The stack's bytes with no experiment (set by the first test). */
  let orchestratorBytes = 0;

  it('reserves enough for the orchestrator alone', () => {
    const empty = synthExperiments([]);
    orchestratorBytes = bytesOf(empty.json);
    try {
      expect(Object.keys(empty.json.Resources).length).toBeLessThanOrEqual(ORCHESTRATOR_RESOURCES);
      expect(orchestratorBytes).toBeLessThanOrEqual(ORCHESTRATOR_BYTES);
    } finally {
      empty.cleanup();
    }
  }, 120_000);

  it('counts exactly the resources each starter and example adds, and bounds its template bytes from above', () => {
    const files = [...readdir('starters'), ...readdir('experiments'), 'test/fixtures/valid/template-id.yaml'];
    const catalog = experimentsOf(files.flatMap((file) => copies(file, 1)));
    const synthesized = synthExperiments(catalog);
    try {
      const resources = Object.entries(synthesized.json.Resources);
      for (const { experiment } of catalog) {
        // Construct ids are the experiment's name (its template, role, ids, alarms) and Schedule-<name>, so logical
        // ids start with Catalog<name without dashes> or CatalogSchedule<name without dashes> (the names here
        // all end in -000, so none is a prefix of another).
        const bare = experiment.name.replace(/-/g, '');
        const own = resources.filter(([id]) =>
          [`Catalog${bare}`, `CatalogSchedule${bare}`].some((p) => id.startsWith(p)),
        );
        expect({ name: experiment.name, resources: own.length }).toEqual({
          name: experiment.name,
          resources: experimentResources(experiment),
        });
        const ownBytes = own.reduce((n, [id, r]) => n + id.length + bytesOf(r), 0);
        expect(ownBytes).toBeLessThanOrEqual(experimentTemplateBytes(experiment));
      }
      // The whole: the estimate is above the real stack, and not by more than half of what the catalog adds.
      const footprint = catalogFootprint(catalog.map((c) => c.experiment));
      expect(resources.length).toBeLessThanOrEqual(footprint.resources);
      const real = bytesOf(synthesized.json);
      expect(real).toBeLessThanOrEqual(footprint.bytes);
      expect(footprint.bytes - ORCHESTRATOR_BYTES).toBeLessThan(1.5 * (real - orchestratorBytes));
    } finally {
      synthesized.cleanup();
    }
  }, 180_000);

  it('synthesizes the largest catalog validate accepts within 500 resources and 1 MB', () => {
    const all = experimentsOf(copies('experiments/checkout-instance-loss.yaml', 200));
    const exceeded = stackLimitExceeded(all.map((c) => c.experiment));
    expect(exceeded?.index).toBeGreaterThan(50);
    const accepted = all.slice(0, exceeded!.index);
    expect(stackLimitExceeded(accepted.map((c) => c.experiment))).toBeUndefined();
    const synthesized = synthExperiments(accepted);
    try {
      expect(Object.keys(synthesized.json.Resources).length).toBeLessThanOrEqual(MAX_STACK_RESOURCES);
      expect(bytesOf(synthesized.json)).toBeLessThanOrEqual(MAX_TEMPLATE_BYTES);
    } finally {
      synthesized.cleanup();
    }
  }, 180_000);

  it('refuses a 200-experiment folder in validate with one line naming the count, the limit and the fix (exit 2)', async () => {
    const dir = catalogFolder(200);
    let stdout = '';
    const code = await runCli(['validate', dir], { stdout: (s) => (stdout += s), stderr: (s) => (stdout += s) }, ROOT);
    expect(code).toBe(2);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\S+\/checkout-instance-loss-\d{3}\.yaml:3:1 {2}name {2}the catalog needs about 50\d CloudFormation resources with this experiment \(\d+ of 200 deployed\), over CloudFormation's 500 per stack: deploy fewer experiments from this catalog \(one stack holds them all; an experiment with fault\.templateId costs 1 resource\)$/,
    );
    expect(lines[1]).toBe('1 of 200 files invalid (1 error)');
  });

  it('refuses the same folder in the CDK app with validate\u2019s line, exit 2 and no stack trace', () => {
    const dir = catalogFolder(200);
    const outdir = mkdtempSync(join(tmpdir(), 'shaketable-app-'));
    temps.push(outdir);
    const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson, catalog: dir, 'aws:cdk:bundling-stacks': [] }),
      },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^\S+\.yaml:3:1 {2}name {2}the catalog needs about 50\d CloudFormation resources .*\n$/,
    );
    expect(result.stdout).toBe('');
  }, 120_000);

  it('refuses on the template size first when large experiments fill 1 MB before 500 resources', () => {
    const big = experimentsOf(copies('starters/az-power-interruption.yaml', 120)).map((c) => c.experiment);
    const exceeded = stackLimitExceeded(big);
    expect(exceeded?.message).toMatch(
      /^the catalog's CloudFormation template reaches about 1\.0\d MB with this experiment/,
    );
    expect(catalogFootprint(big.slice(0, exceeded!.index + 1)).resources).toBeLessThan(MAX_STACK_RESOURCES);
  });
});

function readdir(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => `${dir}/${file}`);
}
