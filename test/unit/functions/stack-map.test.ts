import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDK_BUNDLING } from '../../../bench/bundles.js';
import { stackMapper } from '../../../functions/stack-map.js';

const ENTRY = join(import.meta.dirname, '..', '..', 'fixtures', 'stack', 'thrower.ts');
let dir: string;
let bundle: string;

beforeAll(async () => {
  // Two levels below a folder, as the CDK's bundling-temp folder sits in cdk.out, so sources read `../../…`.
  dir = mkdtempSync(join(tmpdir(), 'shaketable-stack-'));
  bundle = join(dir, 'a', 'b', 'index.mjs');
  await build({ ...CDK_BUNDLING, entryPoints: [ENTRY], outfile: bundle, banner: {} });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The stack as a plain `node` prints it (vitest maps the stacks of what it imports itself). */
function minifiedStack(): string {
  const url = pathToFileURL(bundle).href;
  const code = `import(${JSON.stringify(url)}).then((m) => { try { m.failing('x') } catch (e) { process.stdout.write(e.stack) } })`;
  return execFileSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { PATH: process.env.PATH } });
}

describe('functions/stack-map.ts', () => {
  it('maps the bundle’s frames to the TypeScript line that threw, leaving other frames alone', () => {
    const stack = minifiedStack();
    expect(stack).toMatch(/index\.mjs:\d+:\d+/);
    const mapped = stackMapper(pathToFileURL(bundle).href)(stack);
    expect(mapped).toMatch(/\/test\/fixtures\/stack\/thrower\.ts:4:9/);
    expect(mapped).not.toMatch(/index\.mjs/);
    expect(mapped.split('\n')[0]).toBe('Error: boom: x');
    // frames of other code (here the caller's `node -e`) are not the bundle's: unchanged
    expect(mapped).toContain('at [eval]:1:');
  });

  it('returns the stack as it is when no map lies beside the bundle', () => {
    const stack = minifiedStack();
    unlinkSync(`${bundle}.map`);
    expect(stackMapper(pathToFileURL(bundle).href)(stack)).toBe(stack);
  });
});
