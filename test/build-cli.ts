// Vitest global setup: compiles the CLI into dist/ (as `npm ci` does) so the tests that spawn bin/shaketable.js run
// the sources under test, never an older build.
import { buildCli } from '../scripts/build-cli.js';

export default async function setup(): Promise<void> {
  await buildCli();
}
