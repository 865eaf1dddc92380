// A catalog's `guardrails.requires` names experiments of that catalog (DESIGN §9 "Promotion"). Like unique names it
// looks at several files at once, so it runs only when a catalog is validated (a folder, the CDK app), never on a
// single file run on its own.
import { closestName } from '../../did-you-mean.js';
import { asMap, asString, at } from './rule.js';

export interface RequiringFile {
  name: string | undefined;
  /** the file's raw document */
  raw: unknown;
}

/** Per file index, each `requires[i].experiment` that names no experiment of `files`, with its message. */
export function unknownRequirements(
  files: readonly RequiringFile[],
): Map<number, Array<{ path: Array<string | number>; message: string }>> {
  const names = new Set(files.flatMap((f) => (f.name === undefined ? [] : [f.name])));
  const found = new Map<number, Array<{ path: Array<string | number>; message: string }>>();
  files.forEach(({ raw }, i) => {
    const requires = at(raw, 'guardrails', 'requires');
    if (!Array.isArray(requires)) return;
    requires.forEach((requirement: unknown, j) => {
      const experiment = asString(asMap(requirement)?.experiment);
      if (experiment === undefined || names.has(experiment)) return;
      const close = closestName(experiment, names);
      const fix = close ? `did you mean "${close}"?` : 'add its file to the catalog or fix the name';
      const issues = found.get(i) ?? [];
      issues.push({
        path: ['guardrails', 'requires', j, 'experiment'],
        message: `"${experiment}" is not an experiment of this catalog; ${fix}`,
      });
      found.set(i, issues);
    });
  });
  return found;
}
