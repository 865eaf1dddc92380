// Reads the catalog the stack deploys: `<dir>/*.yaml` (not recursive, so experiments/local/ stays out),
// validated together exactly as `shaketable validate` does, minus the `provider: local` files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue, type ValidationIssue } from '../core/experiment/issues.js';
import { validateSources } from '../core/experiment/validate.js';
import type { CatalogExperiment } from './constructs/catalog.js';

/** The catalog does not validate: the message is every issue, one `file:line:col  path  message` per line. */
export class CatalogInvalidError extends Error {
  override readonly name = 'Shaketable.CatalogInvalid';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

/** The catalog folder itself is missing or not a folder. */
export class CatalogNotFoundError extends Error {
  override readonly name = 'Shaketable.CatalogNotFound';
  constructor(readonly dir: string) {
    super(`${dir}  (catalog)  no such folder; pass the catalog with -c catalog=<dir> (default: experiments)`);
  }
}

/** The experiment files of a catalog folder, sorted, as paths under `dir`. */
export function catalogFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CatalogNotFoundError(dir);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/**
 * Validates every `<dir>/*.yaml` together and returns the ones to deploy (all but `provider: local`). A deployed
 * file's warnings (unfinished REPLACE-ME placeholders) are refused like errors: `validate --strict` is this check.
 */
export function readCatalog(dir: string): CatalogExperiment[] {
  const files = catalogFiles(dir);
  const reports = validateSources(
    files.map((file) => ({ file, content: readFileSync(file) })),
    { catalog: true },
  );
  const issues = reports.flatMap((report) => report.issues);
  if (issues.length > 0 || reports.some((report) => !report.valid)) throw new CatalogInvalidError(issues);
  const deployed = reports.flatMap((report) =>
    report.experiment && report.experiment.provider !== 'local'
      ? [{ file: report.file, experiment: report.experiment, warnings: report.warnings }]
      : [],
  );
  const placeholders = deployed.flatMap((entry) => entry.warnings);
  if (placeholders.length > 0) throw new CatalogInvalidError(placeholders);
  return deployed.map(({ file, experiment }) => ({ file, experiment }));
}
