// Bad input never crashes shaketable: generated and mutated experiment files, hostile YAML, bad command lines,
// malformed execution input and malformed FIS / Step Functions events each get one clear line (or a logged,
// ignored outcome) — never a throw, a stack trace, a half-written result or an injected fault.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { runCli } from '../../cli/main.js';
import type { ValidationIssue } from '../../core/experiment/issues.js';
import { type FileReport, parseExperimentBytes, validateSources } from '../../core/experiment/validate.js';
import type { FaultState } from '../../core/ports.js';
import { faultEnded } from '../../core/steps/fault-ended.js';
import { janitor } from '../../core/steps/janitor.js';
import { load } from '../../core/steps/load.js';
import { runWorkflow } from '../../local/workflow.js';
import { createWorld, experiment, type World } from '../workflow/fakes.js';
import { namedError } from './failures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SEED = 20_261_123;

/** The shipped experiments: the seeds the fuzzer mutates. */
const SHIPPED = ['experiments', 'experiments/local'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(join(ROOT, dir, f), 'utf8') })),
);

let tried = 0;

/** Every report is well formed: issues placed at a real position, with a path and a one-line message. */
function expectWellFormed(report: FileReport, file: string, text?: string): void {
  tried++;
  expect(report.file).toBe(file);
  expect(report.valid).toBe(report.issues.length === 0);
  expect(report.experiment !== undefined).toBe(report.valid);
  const lines = text === undefined ? Number.POSITIVE_INFINITY : text.split('\n').length + 1;
  for (const issue of report.issues) expectIssue(issue, file, lines);
}

function expectIssue(issue: ValidationIssue, file: string, maxLine: number): void {
  const where = JSON.stringify(issue);
  expect(issue.file, where).toBe(file);
  expect(Number.isInteger(issue.line) && issue.line >= 1 && issue.line <= maxLine, where).toBe(true);
  expect(Number.isInteger(issue.col) && issue.col >= 1, where).toBe(true);
  expect(typeof issue.path === 'string' && issue.path.length > 0, where).toBe(true);
  expect(typeof issue.message === 'string' && issue.message.trim().length > 0, where).toBe(true);
  expect(issue.message, where).not.toMatch(/\n|undefined undefined|\[object Object\]|NaN/);
}

// ---------- mutations of the shipped files ----------

type Key = string | number;
type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'retype'; at: number; value: unknown }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'inject'; at: number; key: string; value: unknown }
  | { kind: 'text'; op: 'drop-line' | 'dup-line' | 'truncate' | 'insert' | 'indent'; at: number; chars: string };

function pathsOf(value: unknown, prefix: Key[] = []): Key[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: Array<[Key, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function parentOf(doc: unknown, path: Key[]): Record<Key, unknown> | undefined {
  let node = doc as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) node = node?.[key] as Record<Key, unknown>;
  return node && typeof node === 'object' ? node : undefined;
}

function getAt(doc: unknown, path: Key[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<Key, unknown> | undefined)?.[key], doc);
}

function mutate(text: string, mutations: Mutation[]): string {
  const doc: unknown = parseYaml(text);
  let out: string | undefined;
  for (const m of mutations) {
    if (m.kind === 'text') {
      const source = out ?? stringifyYaml(doc);
      const lines = source.split('\n');
      const i = m.at % lines.length;
      if (m.op === 'drop-line') lines.splice(i, 1);
      if (m.op === 'dup-line') lines.splice(i, 0, lines[i] ?? '');
      if (m.op === 'indent') lines[i] = ` ${lines[i]}`;
      if (m.op === 'truncate') out = source.slice(0, m.at % (source.length + 1));
      else if (m.op === 'insert') {
        const at = m.at % (source.length + 1);
        out = source.slice(0, at) + m.chars + source.slice(at);
      } else out = lines.join('\n');
      continue;
    }
    if (out !== undefined) continue; // structural mutations apply to the document, before any text damage
    const paths = pathsOf(doc).filter((p) => p.length > 0);
    if (paths.length === 0) continue;
    const path = paths[m.at % paths.length]!;
    const parent = parentOf(doc, path);
    const key = path.at(-1)!;
    if (!parent) continue;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (m.kind === 'retype') {
      parent[key] = m.value;
    } else if (m.kind === 'swap') {
      const other = paths[m.with % paths.length]!;
      const related = other.join('\0').startsWith(path.join('\0')) || path.join('\0').startsWith(other.join('\0'));
      const otherParent = parentOf(doc, other);
      if (related || !otherParent) continue;
      const mine = getAt(doc, path);
      parent[key] = getAt(doc, other);
      otherParent[other.at(-1)!] = mine;
    } else if (m.kind === 'inject') {
      const target = getAt(doc, path.slice(0, -1));
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        (target as Record<string, unknown>)[m.key] = m.value;
      } else if (path.length === 1) {
        (doc as Record<string, unknown>)[m.key] = m.value;
      }
    }
  }
  return out ?? stringifyYaml(doc);
}

const scalar = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('PT5M', 'P1D', 'cron(0 10 * * ? *)', 'COUNT(0)', 'PERCENT(150)', '25:99-01:00', 'Mars/Olympus'),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({
    kind: fc.constant('inject' as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'templateId', 'obsrve')),
    value,
  }),
  fc.record({
    kind: fc.constant('text' as const),
    op: fc.constantFrom(
      'drop-line' as const,
      'dup-line' as const,
      'truncate' as const,
      'insert' as const,
      'indent' as const,
    ),
    at: fc.nat(),
    chars: fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(': ', '- ', '&a ', '*a', '{', '[', '"', "'", '\t', '\0', '#', '!!binary ', '? ', '|\n'),
    ),
  }),
);

describe('experiment files: generated and mutated', () => {
  it('validates every shipped experiment (the seeds the fuzzer starts from)', () => {
    expect(SHIPPED.length).toBeGreaterThanOrEqual(8);
    for (const seed of SHIPPED) {
      const [report] = validateSources([{ file: seed.file, content: seed.text }]);
      expectWellFormed(report!, seed.file, seed.text);
      expect(report!.issues).toEqual([]);
    }
  });

  it('never throws on 600 mutated shipped files, and places every issue at a real line and column', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: SHIPPED.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (seedIndex, mutations, asBytes) => {
          const seed = SHIPPED[seedIndex]!;
          const text = mutate(seed.text, mutations);
          const file = `fuzz/${seedIndex}.yaml`;
          const [report] = validateSources([{ file, content: asBytes ? new TextEncoder().encode(text) : text }]);
          expectWellFormed(report!, file, text);
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('never throws on 200 arbitrary YAML documents', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }), (doc) => {
        const text = String(stringifyYaml(doc) ?? '');
        const [report] = validateSources([{ file: 'any.yaml', content: text }]);
        expectWellFormed(report!, 'any.yaml', text);
        expect(report!.valid).toBe(false);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('never throws on 200 files of random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        expectWellFormed(parseExperimentBytes(bytes, 'bytes.yaml'), 'bytes.yaml');
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

// ---------- hostile YAML ----------

const hostile: Array<[string, string | Uint8Array, RegExp]> = [
  [
    'an alias bomb (billion laughs)',
    [
      'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
    ].join('\n'),
    /alias/,
  ],
  ['10 000 nested flow lists', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, /nests too deeply/],
  ['10 000 nested flow mappings', `a: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}`, /nests too deeply/],
  ['10 000 nested block lists', `${'- '.repeat(10_000)}x`, /nests too deeply/],
  ['a 10 MB file', `x: ${'a'.repeat(10 * 1024 * 1024)}`, /over 1\.0 MB/],
  ['10 MB of bytes', new Uint8Array(10 * 1024 * 1024).fill(0x61), /limited to 1\.0 MB/],
  [
    'binary (a PNG header and noise)',
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0]),
    /UTF-8/,
  ],
  ['UTF-16 LE with its BOM', Buffer.from('\uFEFFversion: 1\n', 'utf16le'), /UTF-8/],
  ['UTF-16 BE with its BOM', Buffer.from('\uFEFFversion: 1\n', 'utf16le').swap16(), /UTF-8/],
  ['a recursive alias', '&a [*a]', /./],
  ['a JavaScript function tag', 'version: !!js/function "function () { return 1 }"\n', /tag/],
  ['an empty file', '', /empty/],
  ['only a comment', '# nothing here\n', /empty/],
];

describe('hostile YAML', () => {
  it.each(hostile)('%s gets a clear error, no crash', (_name, content, message) => {
    const started = Date.now();
    const report =
      typeof content === 'string'
        ? validateSources([{ file: 'h.yaml', content }])[0]!
        : parseExperimentBytes(content, 'h.yaml');
    expectWellFormed(report, 'h.yaml');
    expect(report.valid).toBe(false);
    expect(report.issues.map((i) => i.message).join('\n')).toMatch(message);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads a UTF-8 BOM as the start of the file, not as part of the first key', () => {
    const seed = SHIPPED.find((s) => s.file.endsWith('local-instance-loss.yaml'))!;
    const bytes = new TextEncoder().encode(`\uFEFF${seed.text}`);
    const report = parseExperimentBytes(bytes, 'bom.yaml');
    expectWellFormed(report, 'bom.yaml');
    expect(report.issues).toEqual([]);
  });

  it('refuses NUL bytes inside a value with a message about that field', () => {
    const seed = SHIPPED.find((s) => s.file.endsWith('local-instance-loss.yaml'))!;
    const text = seed.text.replace(/^name: (.*)$/m, 'name: local\0instance');
    const [report] = validateSources([{ file: 'nul.yaml', content: text }]);
    expectWellFormed(report!, 'nul.yaml', text);
    expect(report!.valid).toBe(false);
  });
});

// ---------- the command line ----------

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) }, ROOT);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const BAD_COMMAND_LINES: string[][] = [
  ['frobnicate'],
  ['--nope'],
  ['validate', '--bogus'],
  ['validate', 'test/reliability/does-not-exist.yaml'],
  ['run'],
  ['run', 'experiments/local/local-instance-loss.yaml', '--local', '--allow', 'sometimes'],
  ['run', 'experiments/local/local-instance-loss.yaml', '--local', '--junit'],
  ['run', 'experiments/local/local-instance-loss.yaml', '--local', '--stack', 'Other'],
  ['run', 'experiments/local/nope.yaml', '--local'],
  ['status'],
  ['history', 'checkout-instance-loss', '--limit', 'many'],
  ['history', 'checkout-instance-loss', '--limit', '-3'],
  ['approve'],
  ['reject', 'run-1', '--reason'],
  ['halt', '--reason'],
  ['new', 'Bad_Name', '--from', 'ec2-instance-loss', '--out', '/tmp/shaketable-never-written.yaml'],
  ['new', 'fine-name', '--from', 'no-such-starter', '--out', '/tmp/shaketable-never-written.yaml'],
  ['new', 'fine-name'],
];

describe('bad command lines', () => {
  it.each(BAD_COMMAND_LINES.map((argv) => [argv.join(' '), argv] as const))(
    '`shaketable %s` exits 2 with one line and no stack trace',
    async (_line, argv) => {
      const { code, stdout, stderr } = await cli(argv);
      tried++;
      expect(code, stderr).toBe(2);
      // `validate` prints its findings on stdout, as linters do, followed by a one-line tally
      const output = argv[0] === 'validate' && stdout ? stdout.split('\n').slice(0, -2).join('\n') : stderr;
      const lines = output.split('\n').filter((l) => l.trim() !== '');
      expect(`${stdout}${stderr}`).not.toMatch(/^\s+at /m);
      // commander follows its error with the usage hint; the error itself is one line
      const errorLines = lines.filter((l) => l !== '(add --help for usage)');
      expect(errorLines, stderr).toHaveLength(1);
    },
  );
});

// ---------- malformed execution input ----------

function loadWorld(): World {
  return createWorld({ experiment: experiment() });
}

const HOSTILE_INPUTS: unknown[] = [
  null,
  'checkout-instance-loss',
  42,
  [],
  [{ experiment: 'checkout-instance-loss' }],
  {},
  { experiment: 'checkout-instance-loss', templateId: 'EXTevil' },
  { experiment: 'checkout-instance-loss', definition: { fault: { template: {} } } },
  { experiment: 'checkout-instance-loss', plan: { dryRun: false } },
  { experiment: '../x' },
  { experiment: '../../experiments/local/local-instance-loss' },
  { experiment: 'checkout-instance-loss/../x' },
  { experiment: 's3://bucket/evil.yaml' },
  { experiment: 'constructor' },
  { experiment: '__proto__' },
  JSON.parse('{"experiment":"checkout-instance-loss","__proto__":{"templateId":"EXTevil"}}'),
  { experiment: ['checkout-instance-loss'] },
  { experiment: { name: 'checkout-instance-loss' } },
  { experiment: 'checkout-instance-loss', trigger: 'cron' },
  { experiment: 'checkout-instance-loss', gate: 'yes' },
  { experiment: 'checkout-instance-loss', allow: 'DEGRADED' },
  { experiment: 'checkout-instance-loss', allow: ['MAYBE'] },
  { experiment: 'checkout-instance-loss', dryRun: 'false' },
  { experiment: 'checkout-instance-loss', experimentTemplate: { actions: {} } },
  { experiment: 'x'.repeat(100_000) },
];

describe('malformed execution input', () => {
  it.each(HOSTILE_INPUTS.map((input, i) => [i, JSON.stringify(input)?.slice(0, 60), input] as const))(
    'Load refuses input #%i %s with Shaketable.InvalidInput',
    async (_i, _shown, input) => {
      const w = loadWorld();
      tried++;
      const error = await load(w.deps, { input, runId: 'r', startedAt: new Date().toISOString() }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.name).toBe('Shaketable.InvalidInput');
      expect(error?.message).not.toContain('\n');
      expect(error?.message.length).toBeLessThan(400);
    },
  );

  it('accepts only what the schema allows, and the definition always comes from the catalog (300 inputs)', async () => {
    const w = loadWorld();
    const catalogEntry = await w.deps.catalog.get('checkout-instance-loss');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything({ maxDepth: 3 }),
          fc.record(
            {
              experiment: fc.oneof(fc.constant('checkout-instance-loss'), fc.string({ maxLength: 20 })),
              trigger: fc.oneof(fc.constantFrom('schedule', 'manual', 'pipeline'), fc.string({ maxLength: 8 })),
              gate: fc.oneof(fc.boolean(), fc.anything({ maxDepth: 1 })),
              allow: fc.array(fc.constantFrom('PASSED', 'DEGRADED', 'SKIPPED', 'bogus')),
              dryRun: fc.boolean(),
              templateId: fc.string(),
              definition: fc.anything({ maxDepth: 2 }),
            },
            { requiredKeys: ['experiment'] },
          ),
        ),
        async (input) => {
          tried++;
          try {
            const { plan } = await load(w.deps, { input, runId: 'r', startedAt: new Date().toISOString() });
            expect(plan.definition).toBe(catalogEntry.experiment);
            expect(
              Object.keys(input as object).every((k) =>
                ['experiment', 'trigger', 'gate', 'allow', 'dryRun'].includes(k),
              ),
            ).toBe(true);
          } catch (error) {
            expect((error as Error).name).toBe('Shaketable.InvalidInput');
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('starts nothing, records no run and fails the execution with the one-line cause', async () => {
    const objects = [{ experiment: 'checkout-instance-loss', templateId: 'EXTevil' }, { experiment: '../x' }, {}];
    // Input that is not an object cannot even take Load's error at $.error: Step Functions itself fails the
    // execution (States.ResultPathMatchFailure), still before anything was read, locked or started.
    const notObjects = [[], 'checkout-instance-loss', 42];
    for (const input of [...objects, ...notObjects]) {
      const w = loadWorld();
      const execution = runWorkflow(w.deps, input, { runId: 'bad-input', retryPauseMs: 0 });
      const outcome = await execution.result;
      expect(outcome.status).toBe('FAILED');
      if (objects.includes(input as never)) {
        expect(outcome.error).toBe('Shaketable.InvalidInput');
        expect(outcome.cause).toMatch(/^execution input: /);
      } else {
        expect(outcome.error).toBe('States.ResultPathMatchFailure');
      }
      expect(outcome.cause).not.toContain('\n');
      expect(execution.events.filter((e) => e.type === 'StateEntered').map((e) => e.state)).not.toContain('Preflight');
      expect(w.calls).toEqual([]);
      expect(w.runs.size).toBe(0);
      expect(w.stored).toEqual([]);
      expect(w.locks.size).toBe(0);
    }
  });
});

// ---------- malformed FIS and Step Functions events ----------

/** A world with one run waiting on its InjectFault token for fault EXP1, and a foreign experiment FOREIGN1. */
async function waitingWorld() {
  const w = loadWorld();
  const token = 'run-waiting/InjectFault/1';
  const completed: string[] = [];
  // Records every completion (FaultEnded must make none for a foreign or malformed event).
  const record = async (t: string) => {
    completed.push(t);
    return true;
  };
  Object.assign(w.deps.tokens, { succeed: record, fail: record });
  await w.deps.ledger.putRun({
    runId: 'run-waiting',
    experiment: 'checkout-instance-loss',
    status: 'RUNNING',
    startedAt: new Date().toISOString(),
    taskToken: token,
    fisExperimentId: 'EXP1',
    lockKey: 'lock-1',
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
  await w.deps.ledger.acquireLock('lock-1', 'run-waiting', Math.floor(Date.now() / 1000) + 3600);
  const fault = (id: string, tags: Record<string, string>): FaultState & { tags: Record<string, string> } => ({
    experimentId: id,
    status: 'running',
    startTime: Date.now(),
    targets: ['i-1'],
    tags,
  });
  w.faults.set('EXP1', fault('EXP1', { 'shaketable:run': 'run-waiting' }));
  w.faults.set('FOREIGN1', fault('FOREIGN1', {}));
  // A foreign experiment carrying the run's tag (hand-made, or an earlier attempt's): not the run's fault.
  w.faults.set('SPOOF1', fault('SPOOF1', { 'shaketable:run': 'run-waiting' }));
  // FIS answers an unknown id as the SDK does.
  const get = w.deps.faults.get;
  w.deps.faults.get = async (id) => {
    if (!w.faults.has(id)) throw namedError('ResourceNotFoundException', `Experiment ${id} not found.`);
    return get(id);
  };
  return { w, completed };
}

const fisEvent = (id: unknown, status: unknown, extra: Record<string, unknown> = {}) => ({
  'detail-type': 'FIS Experiment State Change',
  source: 'aws.fis',
  detail: { 'experiment-id': id, 'new-state': { status, reason: 'r' } },
  ...extra,
});

const MALFORMED_FIS_EVENTS: Array<[string, unknown]> = [
  ['null', null],
  ['a string', 'FIS Experiment State Change'],
  ['an empty object', {}],
  [
    'another detail-type',
    { ...fisEvent('EXP1', 'completed'), 'detail-type': 'EC2 Instance State-change Notification' },
  ],
  ['another source', { ...fisEvent('EXP1', 'completed'), source: 'custom.attacker' }],
  ['no detail', { 'detail-type': 'FIS Experiment State Change', source: 'aws.fis' }],
  ['a numeric experiment id', fisEvent(42, 'completed')],
  ['an empty experiment id', fisEvent('', 'completed')],
  [
    'no new-state',
    { 'detail-type': 'FIS Experiment State Change', source: 'aws.fis', detail: { 'experiment-id': 'EXP1' } },
  ],
  ['a non-terminal state', fisEvent('EXP1', 'running')],
  ['an experiment FIS does not know', fisEvent('EXPnope', 'completed')],
  ['a foreign experiment', fisEvent('FOREIGN1', 'completed')],
  ['a foreign experiment carrying the run tag', fisEvent('SPOOF1', 'completed')],
  ['a 1 MB experiment id', fisEvent('E'.repeat(1024 * 1024), 'completed')],
];

const MALFORMED_EXECUTION_EVENTS: Array<[string, unknown]> = [
  ['null', null],
  ['an empty object', {}],
  ['another source', { source: 'aws.fis', detail: { name: 'run-waiting', status: 'ABORTED' } }],
  ['a SUCCEEDED execution', { source: 'aws.states', detail: { name: 'run-waiting', status: 'SUCCEEDED' } }],
  ['a RUNNING execution', { source: 'aws.states', detail: { name: 'run-waiting', status: 'RUNNING' } }],
  ['no name', { source: 'aws.states', detail: { status: 'ABORTED' } }],
  ['an unknown run', { source: 'aws.states', detail: { name: 'no-such-run', status: 'ABORTED' } }],
  ['a sweep that is not true', { sweep: 'yes' }],
  ['a sweep flag on a foreign event', { sweep: 1 }],
];

describe('malformed events', () => {
  it.each(MALFORMED_FIS_EVENTS)('FaultEnded ignores %s without completing any token', async (_name, event) => {
    const { w, completed } = await waitingWorld();
    tried++;
    const outcome = await faultEnded(w.deps, event);
    expect(outcome.action).toBe('ignored');
    expect(completed).toEqual([]);
    expect(w.runs.get('run-waiting')?.status).toBe('RUNNING');
  });

  it('FaultEnded completes the waiting token for the run’s own experiment (the check above is live)', async () => {
    const { w, completed } = await waitingWorld();
    w.faults.get('EXP1')!.status = 'completed';
    expect((await faultEnded(w.deps, fisEvent('EXP1', 'completed'))).action).toBe('completed');
    expect(completed).toEqual(['run-waiting/InjectFault/1']);
  });

  it.each(MALFORMED_EXECUTION_EVENTS)(
    'the Janitor skips %s: no fault stopped, no result, the lock kept',
    async (_name, event) => {
      const { w } = await waitingWorld();
      tried++;
      const outcome = await janitor(w.deps, event);
      expect(outcome.cleaned).toEqual([]);
      expect(outcome.skipped.length).toBeGreaterThan(0);
      expect(w.faults.get('EXP1')?.status).toBe('running');
      expect(w.stored).toEqual([]);
      expect(w.locks.get('lock-1')?.owner).toBe('run-waiting');
    },
  );

  it('the Janitor sweep leaves a run alone before its horizon', async () => {
    const { w } = await waitingWorld();
    expect((await janitor(w.deps, { sweep: true })).cleaned).toEqual([]);
    expect(w.faults.get('EXP1')?.status).toBe('running');
  });

  it(`tried at least 1 000 bad inputs in all`, () => {
    console.log(`bad inputs tried: ${tried}`);
    expect(tried).toBeGreaterThanOrEqual(1000);
  });
});
