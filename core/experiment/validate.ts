// Validation of experiment files (DESIGN §2): YAML → schema → cross-field rules → names unique across files,
// every issue of every file at once, each at the line and column of the key it is about.
// Pure: reading files is the caller's (a `ReadFile` such as node:fs/promises' readFile), so core stays I/O free.

import { escapeControls } from '../report/format.js';
import { FILE_PATH, formatPath, type IssuePath, ValidationError, type ValidationIssue } from './issues.js';
import { loadDocument } from './load.js';
import { placeholderFindings } from './placeholders.js';
import type { SourcePositions } from './positions.js';
import { RULES } from './rules/index.js';
import { unknownRequirements } from './rules/requires-known.js';
import { asString, at } from './rules/rule.js';
import { duplicateNames } from './rules/unique-names.js';
import type { Experiment } from './schema.js';
import { stackLimitExceeded } from './stack-limits.js';
import { schemaIssues } from './zod-issues.js';

export interface FileReport {
  file: string;
  valid: boolean;
  /** sorted by line, then column */
  issues: ValidationIssue[];
  /**
   * What a valid file may hold but must not deploy: unfinished REPLACE-ME placeholders, sorted like `issues`.
   * `validate` prints them (`--strict` counts them as errors); synth refuses them.
   */
  warnings: ValidationIssue[];
  /** the parsed experiment (defaults applied, parameters as strings) when the file is valid */
  experiment?: Experiment;
}

export interface ExperimentSource {
  /** the name shown in issues, usually the path as the user typed it */
  file: string;
  content: Uint8Array | string;
}

export type ReadFile = (path: string) => Promise<Uint8Array>;

interface Analysis {
  report: FileReport;
  positions?: SourcePositions;
  name?: string;
  raw?: unknown;
}

export interface ValidateOptions {
  /**
   * The files are a catalog (a folder, the CDK app): `guardrails.requires` must name experiments among them, and
   * the deployed ones must fit one CloudFormation stack. A single file validated on its own is not checked for that.
   */
  catalog?: boolean;
}

/** Validates one experiment's text (no cross-file check). */
export function parseExperimentText(text: string, file: string): FileReport {
  return analyse({ file, content: text }).report;
}

/** Validates one experiment's bytes: also refuses files over 1 MB and text that is not UTF-8. */
export function parseExperimentBytes(bytes: Uint8Array, file: string): FileReport {
  return analyse({ file, content: bytes }).report;
}

/** The experiment in `text`, or a ValidationError listing every issue. */
export function experimentFromText(text: string, file: string): Experiment {
  return experimentOf(parseExperimentText(text, file));
}

/** Validates files together: each on its own, then names unique across them. */
export function validateSources(sources: readonly ExperimentSource[], options: ValidateOptions = {}): FileReport[] {
  const analyses = sources.map(analyse);
  const refuse = (analysis: Analysis, path: IssuePath, message: string) => {
    analysis.report.issues.push(issueAt(analysis.report.file, analysis.positions, path, path, message));
    sortIssues(analysis.report.issues);
    analysis.report.valid = false;
    delete analysis.report.experiment;
  };
  const duplicates = duplicateNames(analyses.map((a) => ({ file: a.report.file, name: a.name })));
  for (const [i, message] of duplicates) refuse(analyses[i]!, ['name'], message);
  if (options.catalog) {
    for (const [i, issues] of unknownRequirements(analyses.map((a) => ({ name: a.name, raw: a.raw })))) {
      for (const issue of issues) refuse(analyses[i]!, issue.path, issue.message);
    }
    // The deployed experiments share one CloudFormation stack: the first that overflows it is refused, once.
    const deployed = analyses.filter((a) => a.report.experiment && a.report.experiment.provider !== 'local');
    const exceeded = stackLimitExceeded(deployed.map((a) => a.report.experiment!));
    if (exceeded) refuse(deployed[exceeded.index]!, ['name'], exceeded.message);
  }
  return analyses.map((a) => a.report);
}

/** Reads and validates `paths` together; a file that cannot be read is reported as an issue of that file. */
export async function validateFiles(
  paths: readonly string[],
  readFile: ReadFile,
  options: ValidateOptions = {},
): Promise<FileReport[]> {
  const sources = await Promise.all(
    paths.map(async (file): Promise<ExperimentSource | FileReport> => {
      try {
        return { file, content: await readFile(file) };
      } catch (error) {
        const refusal = (message: string): FileReport => ({
          file,
          valid: false,
          issues: [{ file, line: 1, col: 1, path: FILE_PATH, message }],
          warnings: [],
        });
        if (error instanceof FileRefusedError) return refusal(error.message);
        // Only a file-system refusal (it carries an errno code) is the file's problem; anything else is a bug.
        const code = (error as { code?: unknown }).code;
        if (typeof code !== 'string') throw error;
        return refusal(readMessage(code));
      }
    }),
  );
  const readable = sources.filter((s): s is ExperimentSource => 'content' in s);
  const reports = validateSources(readable, options);
  return sources.map((s) => ('content' in s ? reports[readable.indexOf(s)]! : s));
}

/**
 * A ReadFile's refusal whose message is the whole issue: not a regular file (a device, a FIFO), or larger than
 * experiment files may be. Raised before reading, so `/dev/zero` or a pipe never fills memory or hangs.
 */
export class FileRefusedError extends Error {
  override readonly name = 'Shaketable.FileRefused';
}

/** One experiment from a file, or a ValidationError whose message lists every issue (one per line). */
export async function loadExperiment(path: string, readFile: ReadFile): Promise<Experiment> {
  const [report] = await validateFiles([path], readFile);
  return experimentOf(report!);
}

function experimentOf(report: FileReport): Experiment {
  if (!report.valid || report.experiment === undefined) throw new ValidationError(report.issues);
  return report.experiment;
}

function readMessage(code: string): string {
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied reading the file';
  if (code === 'ENXIO') return 'is a socket or a device without a reader, not a file; experiment files are YAML files';
  return `cannot read the file (${code})`;
}

function analyse(source: ExperimentSource): Analysis {
  const { file } = source;
  const loaded = loadDocument(source.content, file);
  const issues = [...loaded.issues];
  const warnings: ValidationIssue[] = [];
  let experiment: Experiment | undefined;
  if (loaded.raw !== undefined) {
    for (const finding of placeholderFindings(loaded.raw)) {
      warnings.push(issueAt(file, loaded.positions, finding.path, finding.path, finding.message));
    }
    sortIssues(warnings);
    const schema = schemaIssues(loaded.raw);
    experiment = schema.experiment;
    for (const issue of schema.issues)
      issues.push(issueAt(file, loaded.positions, issue.path, issue.path, issue.message));
    // Rules read the raw document, so they report what they can even when the schema refused other fields.
    for (const rule of RULES) {
      for (const issue of rule.check(loaded.raw)) {
        issues.push(issueAt(file, loaded.positions, issue.path, issue.at ?? issue.path, issue.message));
      }
    }
  }
  const unique = dedupe(issues);
  sortIssues(unique);
  const valid = unique.length === 0;
  const report: FileReport =
    valid && experiment
      ? { file, valid, issues: unique, warnings, experiment }
      : { file, valid: false, issues: unique, warnings };
  return { report, positions: loaded.positions, name: asString(at(loaded.raw, 'name')), raw: loaded.raw };
}

function issueAt(
  file: string,
  positions: SourcePositions | undefined,
  path: IssuePath,
  where: IssuePath,
  message: string,
): ValidationIssue {
  const { line, col } = positions ? positions.locate(where) : { line: 1, col: 1 };
  // An issue is one line: a value the message quotes (a multi-line string, a terminal escape) is shown escaped.
  return { file, line, col, path: formatPath(path), message: escapeControls(message) };
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.line}:${issue.col}:${issue.path}:${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortIssues(issues: ValidationIssue[]): void {
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
}
