// The CLI in-process, as the tests drive it: runCli with its output captured, from the repository root by default.
import { runCli } from '../../cli/main.js';

/** The repository root: where `shaketable` finds the catalog (experiments/) by default. */
export const ROOT = new URL('../../', import.meta.url).pathname;

/** Runs `shaketable <args>` in `cwd`: its exit code and everything it wrote. */
export async function cli(
  args: readonly string[],
  cwd = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
    {
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
    },
    cwd,
  );
  return { code, stdout, stderr };
}
