// Where the sandbox keeps its state on disk (default `.shaketable/` in the working directory) and how it writes it:
// whole files replaced atomically (write a temporary file, then rename), so a reader never sees half a JSON document.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const DEFAULT_BASE_DIR = '.shaketable';

/** An id used in a file name (run id, experiment name) that could escape its folder. */
export class UnsafeNameError extends Error {
  override readonly name = 'Shaketable.UnsafeName';
}

/** Run ids are execution names ([A-Za-z0-9-_], up to 80 characters); experiment names are [a-z0-9-]. */
export function safeName(kind: string, value: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(value)) {
    throw new UnsafeNameError(
      `${kind} "${value}" must be 1-128 characters of A-Z a-z 0-9 _ - to be used as a file name`,
    );
  }
  return value;
}

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, text, { flag: 'wx' });
  await rename(temporary, file);
}

/**
 * Creates `file` with `text` only if it does not exist, whole: the text is written to a temporary file first and
 * hard-linked into place (link fails with EEXIST like O_EXCL), so no reader ever sees it empty or half written.
 * Returns false when the file already existed.
 */
export async function createFileExclusive(file: string, text: string): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, text, { flag: 'wx' });
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** A file of the sandbox's state under `.shaketable/` is damaged or not what the sandbox wrote; the message names it and the fix. */
export class LocalStateError extends Error {
  override readonly name = 'Shaketable.LocalState';
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/**
 * A JSON state file read back: `absent` when it does not exist, else its parsed JSON or what is wrong with it in a
 * phrase (`is a folder, not a file`, `is not JSON (…)`) that the caller puts in its own LocalStateError.
 */
export async function readJsonFile(file: string): Promise<'absent' | { json: unknown } | { damaged: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return 'absent';
    if (isErrno(error, 'EISDIR')) return { damaged: 'is a folder, not a file' };
    throw error;
  }
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { damaged: `is not JSON (${error.message})` };
  }
}
