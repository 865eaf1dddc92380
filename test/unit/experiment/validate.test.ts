// The programmatic API: whole-file refusals (size, encoding, empty, aliases), positions of issues, every
// issue at once, names unique across files, and loadExperiment's ValidationError.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatIssue, ValidationError } from '../../../core/experiment/issues.js';
import { MAX_FILE_BYTES } from '../../../core/experiment/load.js';
import {
  experimentFromText,
  loadExperiment,
  parseExperimentBytes,
  parseExperimentText,
  validateFiles,
  validateSources,
} from '../../../core/experiment/validate.js';

const root = new URL('../../../', import.meta.url).pathname;
const base = await readFile(`${root}experiments/local/local-instance-loss.yaml`, 'utf8');
const bytes = (text: string) => new TextEncoder().encode(text);
const lines = (text: string, file = 'x.yaml') => parseExperimentText(text, file).issues.map(formatIssue);

describe('whole-file refusals', () => {
  it('refuses a zero-byte file with one issue', () => {
    expect(parseExperimentBytes(new Uint8Array(), 'e.yaml').issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^e\.yaml:1:1 {2}\(file\) {2}file is empty/),
    ]);
  });

  it('refuses a file over 1 MB before parsing it', () => {
    const big = bytes(`${base}\n${'#'.repeat(MAX_FILE_BYTES)}\n`);
    const { issues } = parseExperimentBytes(big, 'big.yaml');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('limited to 1.0 MB');
  });

  it('refuses bytes that are not UTF-8 and names the line they are on', () => {
    const text = bytes(base.replace('owner: demo', 'owner: dXmo'));
    const at = text.indexOf('X'.charCodeAt(0));
    text[at] = 0xe9; // é in Latin-1, an invalid UTF-8 sequence here
    const { issues } = parseExperimentBytes(text, 'latin1.yaml');
    expect(issues.map((i) => `${i.line} ${i.message}`)).toEqual(['6 file is not valid UTF-8 text; save it as UTF-8']);
  });

  it('accepts a UTF-8 byte-order mark and non-ASCII text', () => {
    const report = parseExperimentBytes(
      bytes(`\uFEFF${base.replace('owner: demo', 'owner: équipe-démo')}`),
      'bom.yaml',
    );
    expect(report.issues).toEqual([]);
    expect(report.experiment?.owner).toBe('équipe-démo');
  });

  it('refuses an alias bomb without expanding it, but allows ordinary anchors', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      bomb.push(
        `${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10)
          .fill(`*${'abcdefgh'[i - 1]}`)
          .join(', ')}]`,
      );
    const started = Date.now();
    expect(lines(bomb.join('\n'))).toEqual([expect.stringContaining('billion laughs')]);
    expect(Date.now() - started).toBeLessThan(5_000);
    const anchored = base.replace(
      'error_burst: { probe: errors, max: 5, for: 2 }',
      'error_burst: &burst { probe: errors, max: 5, for: 2 }\n    error_burst_copy: *burst',
    );
    const report = parseExperimentText(anchored, 'x.yaml');
    expect(report.issues).toEqual([]);
    expect(report.experiment?.local?.alarms?.['error_burst_copy']?.max).toBe(5);
  });

  it('refuses a second YAML document', () => {
    expect(lines(`${base}---\n${base}`)).toEqual([expect.stringContaining('one experiment per file')]);
  });
});

describe('issue positions', () => {
  it('puts an unknown key in a flow mapping at its own line and column', () => {
    const text = base.replace(
      '{ resourceType: local:instance, selectionMode: COUNT(1) }',
      '{ resourceType: local:instance, selectionMode: COUNT(1), zone: a }',
    );
    expect(lines(text)).toEqual([
      'x.yaml:19:69  fault.template.targets.web.zone  unknown key "zone" (allowed: resourceType, resourceArns, resourceTags, filters, parameters, selectionMode)',
    ]);
  });

  it('points a missing field at its parent key', () => {
    expect(lines(base.replace('  maxDuration: PT30S\n', ''))).toEqual(['x.yaml:16:1  fault.maxDuration  is required']);
  });

  it('reports a duplicate key where it is repeated and still reports the other problems', () => {
    const text = base.replace('owner: demo\n', 'owner: demo\nowner: other\n').replace('observe: PT5S', 'observe: 5s');
    expect(lines(text)).toEqual([
      'x.yaml:7:1  owner  duplicate key "owner" (first defined on line 6)',
      'x.yaml:24:3  fault.observe  must be an ISO 8601 duration such as PT30S, PT5M or PT1H',
    ]);
  });

  it('runs the cross-field rules even when the schema refused other fields', () => {
    const text = base.replace('version: 1', 'version: one').replace('{ Instances: web }', '{ Instances: wbe }');
    expect(lines(text).map((l) => l.split('  ')[1])).toEqual([
      'version',
      'fault.template.actions.kill.targets.Instances',
    ]);
  });

  it('names the field of a YAML syntax error', () => {
    const [issue] = parseExperimentText(base.replace('rps: 40', 'rps: [40'), 'x.yaml').issues;
    expect(issue?.message).toMatch(/^YAML: /);
    expect(issue?.line).toBeGreaterThanOrEqual(12);
  });
});

describe('several files', () => {
  it('reports a name used by two files in both of them, at the name key', () => {
    const reports = validateSources([
      { file: 'a.yaml', content: base },
      { file: 'b.yaml', content: base.replace('description:', '# a copy\ndescription:') },
      { file: 'c.yaml', content: base.replace('name: local-instance-loss', 'name: other-name') },
    ]);
    expect(reports.map((r) => r.valid)).toEqual([false, false, true]);
    expect(reports[0]!.issues.map(formatIssue)).toEqual([
      'a.yaml:4:1  name  name "local-instance-loss" is also used by b.yaml; names must be unique in the catalog',
    ]);
    expect(reports[1]!.issues[0]!.line).toBe(4);
  });

  it('reports a file that cannot be read as that file’s issue and validates the others', async () => {
    const reports = await validateFiles(['experiments/local/local-instance-loss.yaml', 'nope.yaml'], (p) =>
      readFile(`${root}${p}`),
    );
    expect(reports.map((r) => r.valid)).toEqual([true, false]);
    expect(reports[1]!.issues.map(formatIssue)).toEqual(['nope.yaml:1:1  (file)  file not found']);
  });
});

describe('loadExperiment', () => {
  it('returns the parsed experiment with defaults applied', async () => {
    const experiment = await loadExperiment('experiments/local/local-instance-loss.yaml', (p) =>
      readFile(`${root}${p}`),
    );
    expect(experiment.local?.alarms?.['error_burst']).toEqual({ probe: 'errors', max: 5, for: 2 });
    expect(experiment.fault.template?.targets['web']?.selectionMode).toBe('COUNT(1)');
  });

  it('throws a ValidationError whose message is every issue, one per line', () => {
    const text = base.replace('observe: PT5S', 'observe: 5s').replace('rps: 40', 'rps: -1');
    let caught: unknown;
    try {
      experimentFromText(text, 'bad.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).name).toBe('Shaketable.ValidationError');
    expect((caught as ValidationError).message.split('\n')).toEqual([
      'bad.yaml:12:3  local.rps  must be > 0, got number -1',
      'bad.yaml:23:3  fault.observe  must be an ISO 8601 duration such as PT30S, PT5M or PT1H',
    ]);
  });
});

describe('hostile input', () => {
  it('refuses YAML nested thousands of levels deep with one short issue', () => {
    const issues = parseExperimentText(`a: ${'{b: '.repeat(3000)}1${'}'.repeat(3000)}`, 'deep.yaml').issues;
    expect(issues.map((i) => `${i.path}  ${i.message}`)).toEqual([
      'a.b.b.b.b.b.b.b.b.b.b.b.…  YAML nests too deeply to be an experiment file',
    ]);
  });

  it('reports __proto__ as an unknown key without polluting prototypes', () => {
    const issues = parseExperimentText(
      base.replace('owner: demo', 'owner: demo\n__proto__: { polluted: true }'),
      'p.yaml',
    ).issues;
    expect(issues.map((i) => i.path)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

const checkout = await readFile(`${root}experiments/checkout-instance-loss.yaml`, 'utf8');

describe('keys FIS does not have', () => {
  it('answers startAfterDelay with FIS having no delay between actions and the aws:fis:wait fix, at its line', () => {
    const text = checkout.replace(
      '        targets: { Instances: web }\n',
      '        targets: { Instances: web }\n        startAfterDelay: PT2M\n',
    );
    expect(lines(text)).toEqual([
      'x.yaml:25:9  fault.template.actions.terminate.startAfterDelay  unknown key "startAfterDelay": FIS has no delay between actions: add an aws:fis:wait action (parameters.duration, e.g. PT2M) and name it in this action\u2019s startAfter',
    ]);
  });

  it('points an action-level duration to parameters.duration and a template roleArn to the role shaketable makes', () => {
    const text = checkout
      .replace('        targets: { Instances: web }\n', '        targets: { Instances: web }\n        duration: PT5M\n')
      .replace('    stopConditions:', '    roleArn: arn:aws:iam::123456789012:role/fis\n    stopConditions:');
    expect(lines(text)).toEqual([
      'x.yaml:25:9  fault.template.actions.terminate.duration  unknown key "duration": an action\u2019s duration is one of its parameters: write parameters.duration (ISO 8601, e.g. PT5M)',
      'x.yaml:26:5  fault.template.roleArn  unknown key "roleArn": shaketable sets it on the template it deploys: a role limited to the actions\u2019 permissions (shaketable actions lists them); remove it',
    ]);
  });

  it('keeps the generic message (and its suggestion) for other unknown keys of an action', () => {
    const text = checkout.replace(
      '        targets: { Instances: web }\n',
      '        targets: { Instances: web }\n        startAftr: [other]\n',
    );
    expect(lines(text)).toEqual([
      'x.yaml:25:9  fault.template.actions.terminate.startAftr  unknown key "startAftr" (did you mean startAfter?)',
    ]);
  });
});
