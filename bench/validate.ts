// Measures `shaketable validate` on a large catalog: 1,000 generated experiment files (variations of the
// shipped ones) validated together, against a bare YAML parse of the same files as the floor.
// Run: npx tsx bench/validate.ts [count]. Prints milliseconds; nothing here is asserted.
// benchValidateInProcess is what `npm run bench` reports (figure 4): validateSources against yaml.parse of the very
// same texts, in one process, so the ratio is the cost of validation alone.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { findExperimentFiles } from '../cli/commands/validate.js';
import { validateFiles, validateSources } from '../core/experiment/validate.js';
import { median } from './table.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface ValidateBench {
  files: number;
  bytes: number;
  yamlParseMs: number;
  validateMs: number;
  validateCliMs: number;
  valid: number;
}

/** `count` experiment texts: the shipped ones in turn, each renamed so the names stay unique across the set. */
export async function generatedTexts(count: number): Promise<string[]> {
  const shipped = await findExperimentFiles('experiments', ROOT);
  const texts = await Promise.all(shipped.map((f) => readFile(join(ROOT, f), 'utf8')));
  return Array.from({ length: count }, (_, i) => texts[i % texts.length]!.replace(/^name: (\S+)/m, `name: $1-${i}`));
}

export interface ValidateInProcessBench {
  files: number;
  bytes: number;
  valid: number;
  repeats: number;
  /** median over the repeats */
  yamlParseMs: number;
  validateMs: number;
  ratio: number;
}

/** validateSources vs a bare yaml.parse of the same texts, alternated `repeats` times (medians). */
export async function benchValidateInProcess(count = 1000, repeats = 5): Promise<ValidateInProcessBench> {
  const texts = await generatedTexts(count);
  const sources = texts.map((content, i) => ({ file: `experiment-${i}.yaml`, content }));
  const parseTimes: number[] = [];
  const validateTimes: number[] = [];
  let valid = 0;
  // one untimed round each first: the JIT warms up for both alike
  for (const t of texts) parse(t);
  validateSources(sources);
  for (let r = 0; r < repeats; r++) {
    let started = performance.now();
    for (const t of texts) parse(t);
    parseTimes.push(performance.now() - started);
    started = performance.now();
    const reports = validateSources(sources);
    validateTimes.push(performance.now() - started);
    valid = reports.filter((x) => x.valid).length;
  }
  const yamlParseMs = median(parseTimes);
  const validateMs = median(validateTimes);
  return {
    files: count,
    bytes: texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0),
    valid,
    repeats,
    yamlParseMs,
    validateMs,
    ratio: validateMs / yamlParseMs,
  };
}

export async function benchValidate(count = 1000): Promise<ValidateBench> {
  const texts = await generatedTexts(count);
  const dir = await mkdtemp(join(tmpdir(), 'shaketable-bench-validate-'));
  try {
    const paths: string[] = [];
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const text = texts[i]!;
      const path = join(dir, `experiment-${String(i).padStart(4, '0')}.yaml`);
      await writeFile(path, text);
      paths.push(path);
      bytes += Buffer.byteLength(text);
    }

    // Floor: read and parse the same files with no validation at all.
    let started = performance.now();
    for (const path of paths) parse(await readFile(path, 'utf8'));
    const yamlParseMs = performance.now() - started;

    started = performance.now();
    const reports = await validateFiles(paths, (p) => readFile(p));
    const validateMs = performance.now() - started;

    // The user's view: a fresh process through the launcher (the compiled CLI's start-up included).
    started = performance.now();
    await promisify(execFile)(process.execPath, [join(ROOT, 'bin/shaketable.js'), 'validate', dir], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const validateCliMs = performance.now() - started;

    return {
      files: count,
      bytes,
      yamlParseMs: Math.round(yamlParseMs),
      validateMs: Math.round(validateMs),
      validateCliMs: Math.round(validateCliMs),
      valid: reports.filter((r) => r.valid).length,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchValidate(Number(process.argv[2] ?? 1000));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
