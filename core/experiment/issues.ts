// What validation reports: an issue located in a file (`file:line:col  path.to.field  message`), and the
// error thrown when a caller needs a valid experiment and the file is not one.

/** A path into the experiment document: keys and sequence indexes. */
export type IssuePath = ReadonlyArray<string | number>;

/** One problem with one file, at the line/column (1-based) of the offending key or value. */
export interface ValidationIssue {
  file: string;
  line: number;
  col: number;
  /** dotted path, e.g. `steadyState.probes.error_rate.expression` or `guardrails.blackouts[0].to`; `(file)` for the file itself */
  path: string;
  message: string;
}

/** The path shown when an issue concerns the whole file (empty, not UTF-8, YAML that is not a mapping…). */
export const FILE_PATH = '(file)';

export function formatPath(path: IssuePath): string {
  if (path.length === 0) return FILE_PATH;
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      // An empty key or one with whitespace would leave the path column blank or split it: quote it.
      const key = segment === '' || /\s/.test(segment) ? JSON.stringify(segment) : segment;
      out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}

/** The one-line form users read and editors jump to: `file:line:col  path  message`. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}  ${issue.path}  ${issue.message}`;
}

/** Thrown by loadExperiment when a file is not a valid experiment; the message holds every issue, one per line. */
export class ValidationError extends Error {
  override readonly name = 'Shaketable.ValidationError';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}
