// Finds an experiment for a command argument: a path to a YAML file, or a name searched in experiments/**.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Experiment } from '../core/experiment/schema.js';
import { loadExperiment, validateFiles } from '../core/experiment/validate.js';
import { UserError } from './errors.js';

export const CATALOG_DIR = 'experiments';

export async function resolveExperiment(arg: string, cwd: string): Promise<{ file: string; experiment: Experiment }> {
  const read = (path: string) => readFile(resolve(cwd, path));
  if (/\.ya?ml$/.test(arg) || existsSync(resolve(cwd, arg))) {
    if (!existsSync(resolve(cwd, arg))) throw new UserError(`${arg}: no such file`);
    return { file: arg, experiment: await loadExperiment(arg, read) };
  }
  const files = await yamlFiles(resolve(cwd, CATALOG_DIR)).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  });
  const reports = await validateFiles(
    files.map((f) => relative(cwd, f)),
    read,
  );
  const match = reports.find((r) => r.experiment?.name === arg);
  if (match?.experiment) return { file: match.file, experiment: match.experiment };
  const names = reports.flatMap((r) => (r.experiment ? [r.experiment.name] : []));
  throw new UserError(
    `no experiment named "${arg}" under ${CATALOG_DIR}/ (known: ${names.sort().join(', ') || 'none'}); pass a file path or a catalog name`,
  );
}

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await yamlFiles(path)));
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}
