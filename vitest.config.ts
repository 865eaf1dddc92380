import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Tests that spawn `bin/shaketable.js` run the compiled CLI: build it from the sources under test first.
    globalSetup: ['test/build-cli.ts'],
    testTimeout: 60_000,
    // A CDK synth in beforeAll bundles every Lambda with esbuild: on a loaded 2-core machine that alone passes 60 s.
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
