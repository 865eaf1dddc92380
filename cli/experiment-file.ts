// Finds an experiment for a command argument: a path to a YAML file, or a name searched in experiments/**.
import { constants, existsSync, type Stats } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { MAX_FILE_BYTES, megabytes } from '../core/experiment/load.js';
import type { Experiment } from '../core/experiment/schema.js';
import { FileRefusedError, loadExperiment, validateFiles } from '../core/experiment/validate.js';
import { UserError } from './errors.js';

export const CATALOG_DIR = 'experiments';

export async function resolveExperiment(arg: string, cwd: string): Promise<{ file: string; experiment: Experiment }> {
  const read = (path: string) => readExperimentBytes(resolve(cwd, path));
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

/** An experiment file's bytes, read as readRegularFile reads (at most MAX_FILE_BYTES); refusals are FileRefusedError. */
export function readExperimentBytes(path: string): Promise<Uint8Array> {
  return readRegularFile(path, MAX_FILE_BYTES, { files: 'experiment files', are: 'YAML files' });
}

/**
 * A file's bytes, read only if it is a regular file of at most `maxBytes`: `/dev/zero` would grow without end and a
 * FIFO would block forever. The file is opened non-blocking (so opening a FIFO returns at once) and its type and
 * size are read from the open handle, so what is checked is what is read; at most one byte more than the cap is
 * ever read, in case the file grows meanwhile. Refusals are FileRefusedError, worded for the kind of file (`what`).
 */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  what: { files: string; are: string },
): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    if (!info.isFile()) {
      throw new FileRefusedError(`is ${kindOf(info)}, not a regular file; ${what.files} are ${what.are}`);
    }
    if (info.size > maxBytes) {
      throw new FileRefusedError(
        `file is ${megabytes(info.size)}; ${what.files} are limited to ${megabytes(maxBytes)}`,
      );
    }
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) {
      throw new FileRefusedError(`file is over ${megabytes(maxBytes)}; ${what.files} are limited to that`);
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}
