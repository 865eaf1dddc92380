// The fixture corpus: every invalid file yields exactly the issues its `# expect:` lines name (line:col and
// path, message start), every valid edge case and every shipped experiment validates.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { findExperimentFiles } from '../../../cli/commands/validate.js';
import { durationSeconds } from '../../../core/duration.js';
import { loadExperiment, validateFiles } from '../../../core/experiment/validate.js';

const root = new URL('../../../', import.meta.url).pathname;
const invalidDir = 'test/fixtures/invalid';
const validDir = 'test/fixtures/valid';
const yamlFiles = (dir: string) =>
  readdirSync(`${root}${dir}`)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
const read = (path: string) => readFile(`${root}${path}`);

interface Expected {
  at: string;
  path: string;
  message: string;
}

function expectations(file: string): Expected[] {
  const text = readFileSync(`${root}${file}`, 'utf8');
  return [...text.matchAll(/^# expect: (\d+:\d+) {2}(\S+) {2}(.*)$/gm)].map((m) => ({
    at: m[1]!,
    path: m[2]!,
    message: m[3]!,
  }));
}

describe('invalid experiment files', () => {
  it('the corpus has at least 30 files, some with several errors', () => {
    const files = yamlFiles(invalidDir);
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files.filter((f) => expectations(`${invalidDir}/${f}`).length > 1).length).toBeGreaterThanOrEqual(3);
  });

  it.each(yamlFiles(invalidDir))('%s is refused with exactly the expected issues', async (name) => {
    const file = `${invalidDir}/${name}`;
    const expected = expectations(file);
    expect(expected.length).toBeGreaterThan(0);
    const [report] = await validateFiles([file], read);
    expect(report!.valid).toBe(false);
    const actual = report!.issues.map((i) => ({ at: `${i.line}:${i.col}`, path: i.path, message: i.message }));
    expect(actual.map(({ at, path }) => `${at} ${path}`)).toEqual(expected.map(({ at, path }) => `${at} ${path}`));
    actual.forEach((issue, i) => {
      const start = expected[i]!.message;
      expect(issue.message.slice(0, start.length)).toBe(start);
    });
  });
});

describe('valid experiment files', () => {
  it.each(yamlFiles(validDir))('%s validates', async (name) => {
    const [report] = await validateFiles([`${validDir}/${name}`], read);
    expect(report!.issues).toEqual([]);
    expect(report!.valid).toBe(true);
  });

  it('converts FIS parameter values written as YAML numbers and booleans to strings', async () => {
    const experiment = await loadExperiment(`${validDir}/overnight-window-dst.yaml`, read);
    expect(experiment.fault.template?.actions['stop']?.parameters).toEqual({
      startInstancesAfterDuration: 'PT5M',
      completeIfInstancesTerminated: 'true',
    });
    expect(experiment.guardrails?.abortWhen?.['queue_growth']?.for).toBe(1);
  });
});

describe('the shipped catalog', () => {
  it('every experiment under experiments/ validates, names unique across all of them', async () => {
    const files = await findExperimentFiles('experiments', root);
    expect(files.filter((f) => f.startsWith('experiments/local/')).length).toBeGreaterThanOrEqual(7);
    expect(files.filter((f) => !f.startsWith('experiments/local/')).length).toBeGreaterThanOrEqual(3);
    const reports = await validateFiles(files, read);
    expect(reports.flatMap((r) => r.issues)).toEqual([]);
  });

  it('every shipped experiment points editors at the JSON Schema on its first line', async () => {
    for (const file of await findExperimentFiles('experiments', root)) {
      const first = readFileSync(`${root}${file}`, 'utf8').split('\n')[0];
      const schema = file.startsWith('experiments/local/') ? '../../schema' : '../schema';
      expect(first, file).toBe(`# yaml-language-server: $schema=${schema}/experiment.schema.json`);
    }
  });

  it('the sandbox experiments keep their phases short', async () => {
    for (const file of await findExperimentFiles('experiments/local', root)) {
      const e = await loadExperiment(file, read);
      expect(e.provider, file).toBe('local');
      expect(durationSeconds(e.steadyState.baseline), file).toBeLessThanOrEqual(5);
      expect(durationSeconds(e.fault.observe ?? 'PT0S'), file).toBeLessThanOrEqual(8);
      expect(durationSeconds(e.expect.recovery ?? 'PT0S'), file).toBeLessThanOrEqual(15);
    }
  });
});
