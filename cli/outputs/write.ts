// Where the CI outputs go, for AWS and --local runs alike: one writer per kind of file.
import { appendFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** `--junit f`: the file is this run's report alone, written whole (a CI reads one JUnit file per step). */
export async function writeJUnitFile(file: string, xml: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, xml);
}

/**
 * `--summary f`: appended, never overwritten. GitHub's $GITHUB_STEP_SUMMARY is one file shared by every step of a
 * job (GitHub asks steps to append), so overwriting would erase the earlier steps' summaries; a blank line keeps
 * this summary from running into the Markdown before it.
 */
export async function appendSummary(file: string, markdown: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const before = await stat(file).then(
    (info) => info.size,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return 0;
      throw error;
    },
  );
  await appendFile(file, before > 0 ? `\n${markdown}` : markdown);
}
